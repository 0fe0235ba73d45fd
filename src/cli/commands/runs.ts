import { parseArgs } from 'node:util';
import type { CliIO } from '../io.ts';
import { parseFormat, parseMaxWidth, parsePositiveInt, settingsFrom } from '../options.ts';
import { writeRows } from '../output.ts';

/** `lakeq runs [--table T] [--failed]`: what was loaded, when, by which query version. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      table: { type: 'string' },
      failed: { type: 'boolean' },
      format: { type: 'string' },
      'max-rows': { type: 'string' },
      'max-width': { type: 'string' },
      all: { type: 'boolean' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out('Usage: lakeq runs [--table NAME] [--failed] [--format F] [--max-rows N | --all] [--max-width N]');
    return 0;
  }
  const settings = await settingsFrom(values);
  const { readLedger } = await import('../../ingest/ledger.ts');
  const { rows, damaged } = await readLedger(settings.dataDir);
  if (damaged.length > 0) {
    const { ledgerPath } = await import('../../ingest/ledger.ts');
    io.err(
      `warning: ${ledgerPath(settings.dataDir)}: ${damaged.length} torn or incomplete line(s) skipped (line ${damaged.slice(0, 5).join(', ')}${damaged.length > 5 ? ', …' : ''}): a load was killed while writing`,
    );
  }
  const selected = rows
    .filter((r) => (values.table ? r.table === values.table : true))
    .filter((r) => (values.failed ? r.status === 'failed' : true))
    .reverse()
    .map((r) => ({
      finished: r.finishedAt,
      run: r.runId,
      table: r.table,
      partition: `${r.dt}/${r.hour}`,
      status: r.status,
      rows: r.rows,
      bytes: r.bytes,
      source_files: r.sourceFiles,
      quarantined: r.quarantined.length,
      dropped: r.dropped ? r.dropped.noTime + r.dropped.future + r.dropped.outsideHours : 0,
      query: `${r.queryId}@${r.queryVersion}`,
      error: r.error ?? null,
    }));
  const format = parseFormat(values.format, io.isTTY);
  const maxRows = values.all
    ? Number.POSITIVE_INFINITY
    : parsePositiveInt('max-rows', values['max-rows'], 50);
  await writeRows(selected, [], { format, maxRows, ...parseMaxWidth(values['max-width']) }, io);
  return 0;
}
