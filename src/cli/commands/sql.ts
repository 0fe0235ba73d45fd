import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import {
  COMMON_OPTIONS,
  type CommonValues,
  parseFormat,
  parsePositiveInt,
  settingsFrom,
} from '../options.ts';
import { writeRows } from '../output.ts';
import { printWarnings } from '../warnings.ts';

/** `lakeq sql "<SQL>"`: ad-hoc SQL on the embedded engine, with the local views in place. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, 'show-local-sql': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const values = parsed.values as CommonValues & { 'show-local-sql'?: boolean };
  const { positionals } = parsed;
  if (values.help) {
    io.out(
      'Usage: lakeq sql "<SQL>" [--format F] [--out FILE] [--max-rows N | --all] [--data-dir DIR] [--source cloudtrail=DIR] [--show-local-sql]',
    );
    io.out(
      '  The SQL is Trino SQL (as Athena runs it); --show-local-sql prints the DuckDB SQL it ran as, on stderr.',
    );
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
  const settings = await settingsFrom({ ...values, engine: 'duckdb' });
  const { openEngine } = await import('../../engines/open-engine.ts');
  const { CompiledQuery } = await import('kysely');
  const engine = await openEngine(settings, 'duckdb');
  try {
    const showLocalSql = values['show-local-sql'] === true;
    const result = await engine.execute(CompiledQuery.raw(text), {
      signal: io.signal,
      ...(showLocalSql
        ? { onLocalSql: (sql: string) => io.err(`-- SQL the local engine (DuckDB) ran:\n${sql}`) }
        : {}),
    });
    printWarnings(engine.warnings(), io);
    await writeRows(
      result.rows,
      result.columns,
      { format, maxRows, ...(values.out ? { out: values.out } : {}) },
      io,
    );
    return 0;
  } finally {
    await engine.close();
  }
}
