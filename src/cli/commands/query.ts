import { z } from 'zod';
import { LakeqError } from '../../engines/engine.ts';
import type { LibraryQuery } from '../../query/define-query.ts';
import { withAwsErrors } from '../aws-errors.ts';
import type { CliIO } from '../io.ts';
import {
  type CommonValues,
  parseCommon,
  parseEngine,
  parseFormat,
  parseMaxWidth,
  parseParamFlags,
  parsePositiveInt,
  settingsFrom,
} from '../options.ts';
import { writeRows } from '../output.ts';
import { printWarnings } from '../warnings.ts';

const USAGE = `Usage: lakeq query list [--format F] [--max-width N]
       lakeq query show <id> [--engine E] [--param name=value ...]
       lakeq query run <id> [--param name=value ...] [--engine E] [--format F] [--out FILE] [--max-rows N | --all] [--max-width N]
       lakeq query explain <id> [--param name=value ...] [--engine E]`;

/** `lakeq query list | show | run | explain`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseCommon(rest);
  if (values.help || sub === undefined) {
    io.out(USAGE);
    return sub === undefined ? 2 : 0;
  }
  switch (sub) {
    case 'list':
      return list(values, io);
    case 'show':
      return show(requireId(positionals), values, io);
    case 'run':
      return runNamed(requireId(positionals), values, io);
    case 'explain':
      return explain(requireId(positionals), values, io);
    default:
      throw new LakeqError('BAD_COMMAND', `unknown subcommand "query ${sub}"\n${USAGE}`, { usage: true });
  }
}

function requireId(positionals: string[]): string {
  const [id, ...extra] = positionals;
  if (id === undefined)
    throw new LakeqError('BAD_COMMAND', `a query id is needed\n${USAGE}`, { usage: true });
  if (extra.length > 0) {
    throw new LakeqError(
      'BAD_COMMAND',
      `unexpected argument(s): ${extra.join(' ')} (parameters go in --param)`,
      {
        usage: true,
      },
    );
  }
  return id;
}

async function list(values: CommonValues, io: CliIO): Promise<number> {
  const { loadAllQueries } = await import('../../query/registry.ts');
  const queries = await loadAllQueries();
  const rows = queries.map((q) => ({ id: q.id, version: q.version, title: q.title }));
  await writeRows(
    rows,
    [
      { name: 'id', type: 'varchar' },
      { name: 'version', type: 'varchar' },
      { name: 'title', type: 'varchar' },
    ],
    {
      format: parseFormat(values.format, io.isTTY),
      maxRows: Number.POSITIVE_INFINITY,
      ...parseMaxWidth(values['max-width']),
      ...outOpt(values),
    },
    io,
  );
  return 0;
}

async function show(id: string, values: CommonValues, io: CliIO): Promise<number> {
  const { loadQuery } = await import('../../query/registry.ts');
  const { compileQuery } = await import('../../query/compile-query.ts');
  const { compileTarget } = await import('../../engines/compile-targets.ts');
  const query = await loadQuery(id);
  const settings = await settingsFrom(values);
  const engine = parseEngine(values.engine) ?? settings.engine;
  const params = { ...query.example, ...parseParamFlags(values.param) };
  const { compiled } = compileQuery(query, params, compileTarget(engine, settings));
  io.out(`${query.id}@${query.version}: ${query.title}\n`);
  io.out(`${query.description}\n`);
  io.out('Parameters');
  for (const line of describeParams(query)) io.out(`  ${line}`);
  io.out(`\nSQL for ${engine}${Object.keys(params).length > 0 ? ` with ${formatParams(params)}` : ''}:\n`);
  io.out(compiled.sql.trim());
  if (compiled.parameters.length > 0) {
    io.out(
      `\nparameters: ${compiled.parameters.map((p) => (p instanceof Date ? p.toISOString() : JSON.stringify(p))).join(', ')}`,
    );
  }
  return 0;
}

async function runNamed(id: string, values: CommonValues, io: CliIO): Promise<number> {
  const { loadQuery } = await import('../../query/registry.ts');
  const { parseParams } = await import('../../query/parse-params.ts');
  const query = await loadQuery(id);
  const params = parseParamFlags(values.param);
  // Validate before opening an engine, so a typo costs nothing.
  parseParams(query, params);
  const format = parseFormat(values.format, io.isTTY);
  const maxRows = values.all
    ? Number.POSITIVE_INFINITY
    : parsePositiveInt('max-rows', values['max-rows'], 50);
  const maxWidth = parseMaxWidth(values['max-width']);
  const settings = await settingsFrom(values);
  const { openEngine } = await import('../../engines/open-engine.ts');
  const { runQuery } = await import('../../query/run-query.ts');
  const { compileTarget } = await import('../../engines/compile-targets.ts');
  const { compileQuery } = await import('../../query/compile-query.ts');
  const target = compileTarget(settings.engine, settings);
  const { compiled } = compileQuery(query, params, target);
  // Before the engine opens (a local one scans the raw folders): nothing loaded is said at once.
  if (target.capabilities.readsDataFolder) {
    const { assertSomethingLoaded } = await import('../nothing-loaded.ts');
    await assertSomethingLoaded(compiled.sql, settings.dataDir);
  }
  const engine = await openEngine(settings, settings.engine, { sql: compiled.sql });
  try {
    const result = await withAwsErrors(settings.aws, () =>
      runQuery(engine, query, params, { signal: io.signal }),
    );
    printWarnings(engine.warnings(), io);
    await writeRows(
      result.rows as Record<string, unknown>[],
      result.columns,
      { format, maxRows, ...maxWidth, ...outOpt(values) },
      io,
    );
    if (format === 'table' && io.isTTY) io.err(summary(query, result.stats));
    return 0;
  } finally {
    await engine.close();
  }
}

async function explain(id: string, values: CommonValues, io: CliIO): Promise<number> {
  const { loadQuery } = await import('../../query/registry.ts');
  const { compileQuery } = await import('../../query/compile-query.ts');
  const { openEngine } = await import('../../engines/open-engine.ts');
  const { CompiledQuery } = await import('kysely');
  const query = await loadQuery(id);
  const settings = await settingsFrom(values);
  const engine = await openEngine(settings);
  try {
    if (!engine.capabilities.supportsExplain) {
      throw new LakeqError('NOT_SUPPORTED', `${engine.name} cannot explain queries`, { usage: true });
    }
    const { compiled } = compileQuery(query, parseParamFlags(values.param), engine);
    const result = await withAwsErrors(settings.aws, () =>
      engine.execute(CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]), {
        tag: { queryId: query.id, version: query.version },
        signal: io.signal,
      }),
    );
    for (const row of result.rows) {
      for (const value of Object.values(row)) if (typeof value === 'string') io.out(value);
    }
    return 0;
  } finally {
    await engine.close();
  }
}

function outOpt(values: CommonValues): { out?: string } {
  return values.out ? { out: values.out } : {};
}

function formatParams(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** One line per parameter: name, whether required, and its description. */
export function describeParams(query: LibraryQuery): string[] {
  const schema = z.toJSONSchema(query.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { description?: string; default?: unknown }>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) return ['(none)'];
  return entries.map(([name, prop]) => {
    const flag = required.has(name) && prop.default === undefined ? 'required' : 'optional';
    const def = prop.default === undefined ? '' : ` (default ${JSON.stringify(prop.default)})`;
    return `${name.padEnd(10)} ${flag.padEnd(8)} ${prop.description ?? ''}${def}`;
  });
}

function summary(
  query: LibraryQuery,
  stats: { rows: number; elapsedMs: number; dataScannedBytes?: number },
): string {
  const scanned =
    stats.dataScannedBytes === undefined ? '' : `, ${(stats.dataScannedBytes / 1e6).toFixed(1)} MB scanned`;
  return `${query.id}@${query.version}: ${stats.rows} rows in ${Math.round(stats.elapsedMs)} ms${scanned}`;
}
