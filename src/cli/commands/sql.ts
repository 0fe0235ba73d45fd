import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import {
  COMMON_OPTIONS,
  type CommonValues,
  parseFormat,
  parseMaxWidth,
  parsePositiveInt,
  settingsFrom,
} from '../options.ts';
import { writeRows } from '../output.ts';
import { printWarnings } from '../warnings.ts';

/** `lakeq sql "<SQL>"`: ad-hoc SQL on the embedded engine, with the local views in place. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, 'show-local-sql': { type: 'boolean' }, unsafe: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const values = parsed.values as CommonValues & { 'show-local-sql'?: boolean; unsafe?: boolean };
  const { positionals } = parsed;
  const unsafe = values.unsafe === true;
  if (values.help) {
    io.out(`Usage: lakeq sql "<SQL>" [--format F] [--out FILE] [--max-rows N | --all] [--max-width N] [--data-dir DIR] [--source cloudtrail=DIR] [--show-local-sql] [--unsafe]
The SQL is Trino SQL (as Athena runs it); --show-local-sql prints the DuckDB SQL it ran as, on stderr.
Runs one read-only statement (SELECT, WITH, EXPLAIN, DESCRIBE, SHOW) that may read only the data
folder and the configured sources, with no extension install. --unsafe lifts all of that: any
statement, any file, as the user running lakeq.`);
    return 0;
  }
  const text = positionals.join(' ').trim();
  if (text === '')
    throw new LakeqError('BAD_COMMAND', 'lakeq sql needs the SQL text as its argument', { usage: true });
  if (values.engine !== undefined && values.engine !== 'duckdb') {
    throw new LakeqError(
      'BAD_OPTION',
      'lakeq sql runs on the local engine only; use a named query for AWS engines',
      {
        usage: true,
      },
    );
  }
  const format = parseFormat(values.format, io.isTTY);
  const maxRows = values.all
    ? Number.POSITIVE_INFINITY
    : parsePositiveInt('max-rows', values['max-rows'], 50);
  const maxWidth = parseMaxWidth(values['max-width']);
  const settings = await settingsFrom({ ...values, engine: 'duckdb' });
  const { openEngine } = await import('../../engines/open-engine.ts');
  const { CompiledQuery } = await import('kysely');
  const path = await import('node:path');
  const allowedDirectories = [
    ...new Set([settings.dataDir, ...Object.values(settings.sources)].map((d) => path.resolve(d))),
  ];
  const { assertSomethingLoaded } = await import('../nothing-loaded.ts');
  await assertSomethingLoaded(text, settings.dataDir);
  // The raw folders are scanned only when the SQL names a raw view (a week of a busy trail takes
  // about half a second to scan).
  const engine = await openEngine(settings, 'duckdb', {
    sql: text,
    ...(unsafe ? {} : { sandbox: { allowedDirectories } }),
  });
  try {
    const showLocalSql = values['show-local-sql'] === true;
    const result = await engine
      .execute(CompiledQuery.raw(text), {
        signal: io.signal,
        ...(showLocalSql
          ? { onLocalSql: (sql: string) => io.err(`-- SQL the local engine (DuckDB) ran:\n${sql}`) }
          : {}),
      })
      .catch((error: unknown) => Promise.reject(outsideFolders(error, allowedDirectories)));
    printWarnings(engine.warnings(), io);
    await writeRows(
      result.rows,
      result.columns,
      { format, maxRows, ...maxWidth, ...(values.out ? { out: values.out } : {}) },
      io,
    );
    return 0;
  } finally {
    await engine.close();
  }
}

/** DuckDB's "file system operations are disabled" as what it means here. */
function outsideFolders(error: unknown, allowed: readonly string[]): unknown {
  const denied = /Permission Error: Cannot access (?:file|directory) "([^"]*)"/.exec(
    (error as Error)?.message ?? '',
  );
  if (!denied) return error;
  return new LakeqError(
    'OUTSIDE_FOLDERS',
    `lakeq sql reads only the data folder and the configured sources (${allowed.join(', ')}): ${denied[1]} is outside them; --unsafe lifts this`,
    { cause: error },
  );
}
