import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import { SOURCES } from '../../sources/index.ts';
import type { DdlFlag } from '../../sources/source-definition.ts';
import type { CliIO } from '../io.ts';

/** The flags every `lakeq ddl` takes, besides each source's (`SourceAws.ddlFlags`). */
const COMMON_FLAGS: readonly DdlFlag[] = [
  { flag: 'start-date', placeholder: 'YYYY-MM-DD', required: true },
  { flag: 'data-bucket', placeholder: 'B', required: true },
  { flag: 'data-prefix', placeholder: 'P' },
  { flag: 'database', placeholder: 'lakeq' },
];

/** The sources' flags, then the common ones; a flag two sources share is listed once. */
const FLAGS: readonly DdlFlag[] = [
  ...new Map(
    [...SOURCES.flatMap((s) => s.aws?.ddlFlags ?? []), ...COMMON_FLAGS].map((f) => [f.flag, f]),
  ).values(),
];
const REQUIRED = FLAGS.filter((f) => f.required);

/** Words wrapped into lines of at most `width` columns (the usage's 112, its description's 101), the lines after the first indented. */
function wrap(words: readonly string[], width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && `${line} ${word}`.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

const USAGE = [
  wrap(
    [
      'Usage: lakeq ddl',
      ...REQUIRED.map((f) => `--${f.flag} ${f.placeholder}`),
      ...FLAGS.filter((f) => !f.required).map((f) => `[--${f.flag} ${f.placeholder}]`),
    ],
    112,
    ' '.repeat('Usage: lakeq ddl '.length),
  ),
  wrap(
    `Prints the Athena DDL of the catalog: ${[
      ...SOURCES.flatMap((s) => (s.aws ? [s.aws.ddlDescribe] : [])),
      'the curated hour-partitioned tables and the run ledger (lakeq_runs).',
    ].join(', ')}`.split(' '),
    101,
    '',
  ),
].join('\n');

/** `lakeq ddl`: the statements that create lakeq's tables in Athena, to run once per database. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...Object.fromEntries(FLAGS.map((f) => [f.flag, { type: 'string' as const }])),
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const flags: Record<string, string | undefined> = {};
  for (const f of FLAGS) {
    const value = (values as Record<string, string | boolean | undefined>)[f.flag];
    flags[f.flag] = typeof value === 'string' ? value : undefined;
  }
  const missing = REQUIRED.filter((f) => !flags[f.flag]);
  if (missing.length > 0) {
    throw new LakeqError('BAD_OPTION', `missing ${missing.map((m) => `--${m.flag}`).join(', ')}\n${USAGE}`, {
      usage: true,
    });
  }
  const { curatedTableDdl } = await import('../../catalog/athena/curated-table-ddl.ts');
  const { TABLES } = await import('../../catalog/tables/index.ts');
  const { ledgerTableDdl } = await import('../../catalog/athena/ledger-ddl.ts');
  const statements: string[] = [];
  try {
    const target = {
      bucket: flags['data-bucket'] ?? '',
      prefix: flags['data-prefix'] ?? '',
      database: flags.database ?? 'lakeq',
    };
    const common = { target, startDate: flags['start-date'] ?? '' };
    // Each source's raw tables, then its views over them (cloudtrail_logs, cloudtrail_events_raw, the Glue tables).
    for (const source of SOURCES) {
      const onAws = source.aws?.fromFlags(flags, common);
      if (onAws) statements.push(...onAws.tableDdl(), ...onAws.views().map((v) => v.sql));
    }
    for (const table of TABLES) statements.push(curatedTableDdl(table, target));
    statements.push(ledgerTableDdl(target));
  } catch (error) {
    if (error instanceof LakeqError) throw error;
    throw new LakeqError('BAD_OPTION', (error as Error).message, { usage: true });
  }
  io.out(statements.map((s) => `${s.trim().replace(/;$/, '')};`).join('\n\n'));
  return 0;
}
