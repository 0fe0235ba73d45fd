import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import { isoTime } from '../../query/param-types.ts';
import type { CliIO } from '../io.ts';
import { parsePositiveInt } from '../options.ts';

const USAGE = `Usage: lakeq sample cloudtrail --out DIR --from TIME --to TIME [--accounts N] [--events-per-hour N] [--seed N]
       lakeq sample glue --out DIR --from TIME --to TIME [--seed N]`;

/**
 * `lakeq sample cloudtrail`: realistic, deterministic CloudTrail logs in the S3 layout.
 * `lakeq sample glue`: captured Glue and CloudWatch API responses (jobs/, job-runs/, metrics/), the
 * Glue collector's local source.
 */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      accounts: { type: 'string' },
      'events-per-hour': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const kind = positionals[0];
  if ((kind !== 'cloudtrail' && kind !== 'glue') || positionals.length !== 1) {
    throw new LakeqError('BAD_COMMAND', `lakeq sample knows two kinds of data: cloudtrail, glue\n${USAGE}`, {
      usage: true,
    });
  }
  if (!values.out || !values.from || !values.to) {
    throw new LakeqError('BAD_OPTION', `--out, --from and --to are required\n${USAGE}`, { usage: true });
  }
  const from = parseTime('from', values.from);
  const to = parseTime('to', values.to);
  if (from >= to) throw new LakeqError('BAD_OPTION', '--from must be before --to', { usage: true });
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed))
    throw new LakeqError('BAD_OPTION', `--seed must be an integer (got "${values.seed}")`, { usage: true });
  if (kind === 'glue') {
    if (values.accounts !== undefined || values['events-per-hour'] !== undefined) {
      throw new LakeqError('BAD_OPTION', `--accounts and --events-per-hour are for cloudtrail\n${USAGE}`, {
        usage: true,
      });
    }
    const { writeGlueSample } = await import('../../sources/glue/sample.ts');
    const glue = await writeGlueSample({ out: values.out, from, to, seed });
    io.out(
      `wrote ${glue.jobs} Glue jobs, ${glue.runs} runs and ${glue.metricPoints} metric datapoints in ` +
        `${glue.files} files to ${values.out} (${glue.from} to ${glue.to})`,
    );
    return 0;
  }
  const { writeCloudTrailSample } = await import('../../sources/cloudtrail/sample.ts');
  const summary = await writeCloudTrailSample({
    out: values.out,
    from,
    to,
    accounts: parsePositiveInt('accounts', values.accounts, 3),
    eventsPerHour: parsePositiveInt('events-per-hour', values['events-per-hour'], 40),
    seed,
  });
  io.out(
    `wrote ${summary.events} events in ${summary.files} files to ${values.out} ` +
      `(${summary.accounts.length} accounts, ${summary.from} to ${summary.to}; Identity Center: ` +
      `${summary.identityCenter.created} created, ${summary.identityCenter.deleted} deleted, ${summary.identityCenter.failed} failed calls)`,
  );
  return 0;
}

function parseTime(name: string, value: string): Date {
  const result = isoTime.safeParse(value);
  if (!result.success) {
    throw new LakeqError('BAD_OPTION', `--${name}: ${result.error.issues[0]?.message ?? 'not a time'}`, {
      usage: true,
    });
  }
  return result.data;
}
