import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import { isoTime } from '../../query/param-types.ts';
import { SOURCES } from '../../sources/index.ts';
import type { CliIO } from '../io.ts';
import { parsePositiveInt } from '../options.ts';

/** The sources with a sample generator, in registry order. */
const SAMPLED = SOURCES.flatMap((s) => (s.sample ? [{ name: s.name, sample: s.sample }] : []));

const USAGE = SAMPLED.map(
  ({ name, sample }, i) =>
    `${i === 0 ? 'Usage: ' : '       '}lakeq sample ${name} --out DIR --from TIME --to TIME` +
    `${sample.options.map((o) => ` [--${o.name} N]`).join('')}` +
    `${(sample.choices ?? []).map((c) => ` [--${c.name} ${c.values.join('|')}]`).join('')} [--seed N]`,
).join('\n');

const COUNTS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** `a`, `a and b`, `a, b and c`. */
const listed = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * `lakeq sample <source>`: a registered source's deterministic sample (`SourceDefinition.sample`):
 * `cloudtrail`, realistic CloudTrail logs in the S3 layout; `glue`, captured Glue and CloudWatch
 * API responses (jobs/, job-runs/, metrics/), the Glue collector's local source.
 */
export async function run(args: string[], io: CliIO): Promise<number> {
  const own = [
    ...new Set(SAMPLED.flatMap((s) => [...s.sample.options, ...(s.sample.choices ?? [])].map((o) => o.name))),
  ];
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      ...Object.fromEntries(own.map((name) => [name, { type: 'string' as const }])),
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const kind = SAMPLED.find((s) => s.name === positionals[0]);
  if (!kind || positionals.length !== 1) {
    const count = COUNTS[SAMPLED.length] ?? String(SAMPLED.length);
    throw new LakeqError(
      'BAD_COMMAND',
      `lakeq sample knows ${count} ${SAMPLED.length === 1 ? 'kind' : 'kinds'} of data: ${SAMPLED.map((s) => s.name).join(', ')}\n${USAGE}`,
      { usage: true },
    );
  }
  const text = (name: string): string | undefined => {
    const value = (values as Record<string, string | boolean | undefined>)[name];
    return typeof value === 'string' ? value : undefined;
  };
  if (!values.out || !values.from || !values.to) {
    throw new LakeqError('BAD_OPTION', `--out, --from and --to are required\n${USAGE}`, { usage: true });
  }
  const from = parseTime('from', values.from);
  const to = parseTime('to', values.to);
  if (from >= to) throw new LakeqError('BAD_OPTION', '--from must be before --to', { usage: true });
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed))
    throw new LakeqError('BAD_OPTION', `--seed must be an integer (got "${values.seed}")`, { usage: true });
  // Another source's options: say whose they are.
  const mine = new Set(kind.sample.options.map((o) => o.name));
  const owners = SAMPLED.filter(
    (s) => s !== kind && s.sample.options.some((o) => !mine.has(o.name) && text(o.name) !== undefined),
  );
  if (owners.length > 0) {
    const whose = owners.map((s) => {
      const flags = s.sample.options.filter((o) => !mine.has(o.name)).map((o) => `--${o.name}`);
      return `${listed(flags)} ${flags.length === 1 ? 'is' : 'are'} for ${s.name}`;
    });
    throw new LakeqError('BAD_OPTION', `${whose.join('; ')}\n${USAGE}`, { usage: true });
  }
  const options = Object.fromEntries(
    kind.sample.options.map((o) => [o.name, parsePositiveInt(o.name, text(o.name), o.default)]),
  );
  const choices: Record<string, string> = {};
  for (const c of kind.sample.choices ?? []) {
    const value = text(c.name) ?? c.default;
    if (!c.values.includes(value))
      throw new LakeqError(
        'BAD_OPTION',
        `--${c.name} must be ${c.values.join(', ')} (got "${value}")\n${USAGE}`,
        {
          usage: true,
        },
      );
    choices[c.name] = value;
  }
  const writer = await kind.sample.writer();
  const written = await writer.write({ out: values.out, from, to, seed, options, choices });
  io.out(written.summary);
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
