import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { parseCommon, parseFormat, parseMaxWidth, parsePositiveInt, settingsFrom } from '../options.ts';
import { writeRows } from '../output.ts';
import { printWarnings } from '../warnings.ts';

/** `lakeq sql "<SQL>"`: ad-hoc SQL on the embedded engine, with the local views in place. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommon(args);
  if (values.help) {
    io.out(
      'Usage: lakeq sql "<SQL>" [--format F] [--out FILE] [--max-rows N | --all] [--max-width N] [--data-dir DIR] [--source cloudtrail=DIR]',
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
  const maxWidth = parseMaxWidth(values['max-width']);
  const settings = await settingsFrom({ ...values, engine: 'duckdb' });
  const { openEngine } = await import('../../engines/open-engine.ts');
  const { CompiledQuery } = await import('kysely');
  const engine = await openEngine(settings, 'duckdb');
  try {
    const result = await engine.execute(CompiledQuery.raw(text), { signal: io.signal });
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
