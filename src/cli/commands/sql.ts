import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { parseCommon, parseFormat, parseMaxWidth, parsePositiveInt, settingsFrom } from '../options.ts';
import { writeRows } from '../output.ts';
import { printWarnings } from '../warnings.ts';

/** `lakeq sql "<SQL>"`: ad-hoc SQL on the embedded engine, with the local views in place. */
export async function run(args: string[], io: CliIO): Promise<number> {
  // --unsafe is this command's alone: the common options are shared with every reading command.
  const unsafe = args.includes('--unsafe');
  const { values, positionals } = parseCommon(args.filter((a) => a !== '--unsafe'));
  if (values.help) {
    io.out(`Usage: lakeq sql "<SQL>" [--format F] [--out FILE] [--max-rows N | --all] [--max-width N] [--data-dir DIR] [--source cloudtrail=DIR] [--unsafe]
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
  const engine = await openEngine(settings, 'duckdb', unsafe ? {} : { sandbox: { allowedDirectories } });
  try {
    const { assertSomethingLoaded } = await import('../nothing-loaded.ts');
    await assertSomethingLoaded(text, settings.dataDir);
    const result = await engine
      .execute(CompiledQuery.raw(text), { signal: io.signal })
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
