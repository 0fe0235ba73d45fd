import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { parseMaxWidth, settingsFrom } from '../options.ts';
import { writeRows } from '../output.ts';

const USAGE = `Usage: lakeq alarms [--at TIME] [--json] [--dry-run] [--max-width N]
       lakeq alarms history [--alarm NAME] [--json] [--max-width N]

Evaluates lakeq's alarms on this machine (query alarms on the local engine, the ETL's health
from the run ledger), records states in <data-dir>/alarms/state.json and changes of state in
<data-dir>/alarms/history.ndjson, and prints each alarm's state. --at evaluates at another time
(an evaluation before the last recorded one is shown, not recorded); --dry-run records nothing.`;

/** `lakeq alarms [--at TIME] [--json] [--dry-run]` and `lakeq alarms history [--alarm NAME] [--json]`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      at: { type: 'string' },
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      alarm: { type: 'string' },
      'max-width': { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      source: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [sub, ...extra] = positionals;
  if ((sub !== undefined && sub !== 'history') || extra.length > 0) {
    throw new LakeqError('BAD_OPTION', `unexpected "${positionals.join(' ')}" (${USAGE.split('\n')[0]})`, {
      usage: true,
    });
  }
  const maxWidth = parseMaxWidth(values['max-width']);
  const settings = await settingsFrom(values);
  if (sub === 'history') {
    if (values.at !== undefined || values['dry-run'])
      throw new LakeqError('BAD_OPTION', '--at and --dry-run are for lakeq alarms, not its history', {
        usage: true,
      });
    const { readAlarmHistory } = await import('../../alarms/alarm-store.ts');
    const { rows, damagedLines } = await readAlarmHistory(settings.dataDir);
    if (damagedLines > 0) io.err(`warning: ${damagedLines} damaged history line(s) skipped`);
    const selected = rows.filter((r) => values.alarm === undefined || r.alarm === values.alarm).reverse();
    if (values.json) {
      io.write(`${JSON.stringify(selected, null, 2)}\n`);
      return 0;
    }
    const table = selected.map((r) => ({
      at: r.at,
      alarm: r.alarm,
      from: r.from,
      to: r.to,
      value: r.value,
      threshold: r.threshold,
      reason: r.reason,
    }));
    await writeRows(table, [], { format: 'table', maxRows: Number.POSITIVE_INFINITY, ...maxWidth }, io);
    return 0;
  }
  if (values.alarm !== undefined)
    throw new LakeqError('BAD_OPTION', '--alarm is for lakeq alarms history', { usage: true });
  const at = values.at === undefined ? new Date() : await parseAt(values.at);
  const [{ evaluateAlarms }, { openLocalAlarmQueries }, { defaultAlarms }] = await Promise.all([
    import('../../alarms/evaluate-alarms.ts'),
    import('../../alarms/local-alarm-queries.ts'),
    import('../../alarms/alarms.ts'),
  ]);
  const local = openLocalAlarmQueries(settings, { signal: io.signal });
  let report: Awaited<ReturnType<typeof evaluateAlarms>>;
  try {
    report = await evaluateAlarms({
      dataDir: settings.dataDir,
      at,
      alarms: defaultAlarms(settings.alarms),
      runQuery: local.runQuery,
      record: !values['dry-run'],
    });
  } finally {
    await local.close();
  }
  if (values.json) {
    io.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const rows = report.alarms.map((a) => ({
    name: a.name,
    state: a.state,
    value: a.value,
    threshold: `${symbol(a.comparison)} ${a.threshold}`,
    since: a.since,
    reason: a.reason,
  }));
  await writeRows(rows, [], { format: 'table', maxRows: Number.POSITIVE_INFINITY, ...maxWidth }, io);
  for (const t of report.transitions) io.err(`${t.alarm}: ${t.from} → ${t.to}`);
  if (!report.recorded && !values['dry-run']) {
    io.err(`note: not recorded: ${report.at} is before the last recorded evaluation`);
  }
  return 0;
}

function symbol(comparison: string): string {
  return (
    {
      GreaterThanThreshold: '>',
      GreaterThanOrEqualToThreshold: '>=',
      LessThanThreshold: '<',
      LessThanOrEqualToThreshold: '<=',
    }[comparison] ?? comparison
  );
}

async function parseAt(text: string): Promise<Date> {
  const { isoTime } = await import('../../query/param-types.ts');
  const parsed = isoTime.safeParse(text);
  if (!parsed.success) {
    throw new LakeqError('BAD_OPTION', `--at: ${parsed.error.issues[0]?.message ?? 'not a time'}`, {
      usage: true,
    });
  }
  return parsed.data;
}
