import { parseArgs } from 'node:util';
import type { LakeqSettings } from '../../config/lakeq-config.ts';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { parseEngine, parsePositiveInt, settingsFrom } from '../options.ts';
import { formatSeconds } from '../progress.ts';

const USAGE = `Usage: lakeq tpcds generate --sf N [--out DIR] [--seed S] [--threads N]
       lakeq tpcds compare [--queries q02,q82|all] [--runs N] [--engine duckdb|athena] [--stats-role ARN]
       lakeq tpcds report [--run RUN_ID] [--engine duckdb|athena]`;

const usage = (message: string) => new LakeqError('BAD_OPTION', `${message}\n${USAGE}`, { usage: true });

/**
 * `lakeq tpcds`: generate the TPC-DS tables (`generate`), compare each benchmark query with and
 * without the cost-based optimizer (`compare`, recorded in tpcds_cbo_runs), and print the latest
 * comparison as AWS's CBO post does (`report`).
 */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      sf: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      queries: { type: 'string' },
      runs: { type: 'string' },
      run: { type: 'string' },
      'stats-role': { type: 'string' },
      engine: { type: 'string' },
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
  if (extra.length > 0 || (sub !== 'generate' && sub !== 'compare' && sub !== 'report')) {
    throw new LakeqError(
      'BAD_COMMAND',
      `lakeq tpcds has three commands: generate, compare, report\n${USAGE}`,
      {
        usage: true,
      },
    );
  }
  const settings = await settingsFrom(values);
  const root = settings.sources.tpcds as string;
  if (sub === 'generate') return generate(values, values.out ?? root, io);
  return sub === 'compare' ? compare(values, settings, root, io) : report(values, settings, io);
}

/** `q02,q82`, `2,82` or `all` → the query ids. */
export function parseQueryList(value: string | undefined): string[] {
  if (value === undefined || value === 'all') return Array.from({ length: 99 }, (_, i) => tpcdsId(i + 1));
  return value.split(',').map((part) => {
    const n = Number(part.trim().replace(/^q/i, ''));
    if (!Number.isInteger(n) || n < 1 || n > 99)
      throw usage(`--queries takes TPC-DS query numbers 1-99 like q02,q82, or all (got "${part}")`);
    return tpcdsId(n);
  });
}
const tpcdsId = (n: number) => `tpcds/q${String(n).padStart(2, '0')}`;

async function compare(
  values: { queries?: string; runs?: string; engine?: string; 'stats-role'?: string },
  settings: LakeqSettings,
  root: string,
  io: CliIO,
): Promise<number> {
  const ids = parseQueryList(values.queries);
  const runs = parsePositiveInt('runs', values.runs, 3);
  const engineName = values.engine ?? 'duckdb';
  if (engineName !== 'duckdb' && engineName !== 'athena')
    throw usage(`--engine must be duckdb or athena (got "${engineName}")`);
  const { generatedTables } = await import('../../sources/tpcds/list.ts');
  const generated = await generatedTables(root);
  if (engineName === 'duckdb' && generated.missing.length > 0) {
    throw new LakeqError(
      'NO_DATA',
      `no TPC-DS tables in ${root} (missing ${generated.missing.slice(0, 3).join(', ')}${generated.missing.length > 3 ? ', …' : ''}): run lakeq tpcds generate --sf 1 first`,
    );
  }
  const { loadQuery } = await import('../../query/registry.ts');
  const queries = await Promise.all(ids.map((id) => loadQuery(id)));
  const { openLocalEngine } = await import('../../catalog/duckdb/local-engine.ts');
  const { compareCbo } = await import('../../benchmarks/tpcds/cbo-compare.ts');
  const { cboRunId, writeCboRuns } = await import('../../benchmarks/tpcds/cbo-runs-table.ts');
  const { formatCboReport } = await import('../../reports/tpcds-cbo-report.ts');
  const local = await openLocalEngine(settings);
  try {
    let backend: import('../../benchmarks/tpcds/cbo-compare.ts').CboBackend;
    if (engineName === 'duckdb') {
      const { duckDbCboBackend } = await import('../../benchmarks/tpcds/duckdb-cbo.ts');
      backend = duckDbCboBackend(local);
    } else {
      const role = values['stats-role'];
      if (!role)
        throw usage(
          '--stats-role ARN is required on Athena: the IAM role Glue computes the column statistics with',
        );
      const { athenaCboBackend } = await import('../../benchmarks/tpcds/athena-cbo.ts');
      backend = await athenaCboBackend(settings, { statsRole: role, onWait: (line) => io.err(line) });
    }
    const startedAt = new Date();
    const results = await compareCbo(backend, {
      queries: queries as never,
      runs,
      onProgress: (p) => io.err(`tpcds compare ${p.mode} ${p.queryId} (${p.done + 1}/${p.total})`),
    });
    const info = {
      runId: cboRunId(startedAt, engineName),
      startedAt,
      engine: engineName,
      scaleFactor: generated.manifest?.scaleFactor,
    } as const;
    const written = await writeCboRuns(local, root, info, results);
    const rows = results.map((r) => ({
      queryId: r.queryId,
      status: r.status,
      offMs: r.offMs,
      onMs: r.onMs,
      speedup: r.status === 'ok' ? r.speedup : null,
      planChanged: r.planChanged,
      offJoinOrder: r.joinOrder['cbo-off'],
      onJoinOrder: r.joinOrder['cbo-on'],
    }));
    const sf = info.scaleFactor === undefined ? '' : ` SF${info.scaleFactor}`;
    io.out(
      formatCboReport(rows, {
        title: `TPC-DS${sf} on ${engineName}, ${runs} runs per mode, run ${info.runId}`,
      }).join('\n'),
    );
    for (const r of results.filter((q) => q.status !== 'ok'))
      io.err(`lakeq: ${r.queryId} ${r.status}: ${r.error}`);
    if (written.path) {
      io.err(`recorded ${written.rows} runs in tpcds_cbo_runs (${written.path})`);
      const { refreshCboSnapshot } = await import('../../benchmarks/tpcds/cbo-snapshot.ts');
      const status = await refreshCboSnapshot(settings.dataDir, root, info.runId);
      if (status !== 'COMPLETED') io.err(`lakeq: the local snapshot of tpcds_cbo_runs is ${status}`);
    }
    return results.every((r) => r.status === 'ok') ? 0 : 1;
  } finally {
    await local.close();
  }
}

async function report(
  values: { run?: string; engine?: string },
  settings: LakeqSettings,
  io: CliIO,
): Promise<number> {
  const { openEngine } = await import('../../engines/open-engine.ts');
  const { loadQuery } = await import('../../query/registry.ts');
  const { runQuery } = await import('../../query/run-query.ts');
  const { formatCboReport } = await import('../../reports/tpcds-cbo-report.ts');
  const query = await loadQuery('tpcds/cbo-comparison');
  const engine = await openEngine(settings, parseEngine(values.engine) ?? settings.engine, {
    sql: 'tpcds_cbo_runs',
  });
  try {
    const result = await runQuery(engine, query as never, values.run ? { run: values.run } : {});
    const rows =
      result.rows as unknown as import('../../../queries/tpcds/cbo-comparison.ts').CboComparisonRow[];
    const first = rows[0];
    if (!first) {
      throw new LakeqError(
        'NO_DATA',
        values.run
          ? `no comparison run ${values.run} in tpcds_cbo_runs`
          : 'no comparison in tpcds_cbo_runs yet: run lakeq tpcds compare first',
      );
    }
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const summary = rows.map((r) => ({
      queryId: r.query_id,
      status: r.status,
      offMs: num(r.off_ms),
      onMs: num(r.on_ms),
      speedup: num(r.speedup),
      planChanged: Boolean(r.plan_changed),
      offJoinOrder: r.off_join_order,
      onJoinOrder: r.on_join_order,
    }));
    const sf = first.scale_factor === null ? '' : ` SF${Number(first.scale_factor)}`;
    io.out(
      formatCboReport(summary, { title: `TPC-DS${sf} on ${first.engine}, run ${first.run_id}` }).join('\n'),
    );
    return 0;
  } finally {
    await engine.close();
  }
}

async function generate(
  values: { sf?: string; seed?: string; threads?: string },
  out: string,
  io: CliIO,
): Promise<number> {
  if (values.sf === undefined) throw usage('--sf N is required (1 is about 1 GB, 19.5 million rows)');
  const sf = Number(values.sf);
  if (!(sf > 0) || !Number.isFinite(sf) || sf > 100_000)
    throw usage(`--sf must be a positive number (got "${values.sf}")`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 90_000_000)
    throw usage(`--seed must be an integer from 0 to 90000000 (got "${values.seed}")`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1))
    throw usage(`--threads must be a positive integer (got "${values.threads}")`);
  const { generateTpcds } = await import('../../sources/tpcds/sample.ts');
  const started = performance.now();
  const result = await generateTpcds({
    out,
    sf,
    seed,
    ...(threads ? { threads } : {}),
    onProgress: (p) => {
      const seconds = (performance.now() - started) / 1000;
      const share = p.rowsDone / Math.max(1, p.rowsTotal);
      const eta = share > 0 ? (seconds / share) * (1 - share) : Number.NaN;
      const stats = `${p.tablesDone}/${p.tablesTotal} tables  ${p.rowsDone.toLocaleString('en-US')}/${p.rowsTotal.toLocaleString('en-US')} rows  ETA ${formatSeconds(eta)}`;
      if (io.isTTY) {
        const width = 24;
        const filled = Math.round(share * width);
        process.stderr.write(
          `\r${p.table.padEnd(24)} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${stats}   `,
        );
        if (p.tablesDone === p.tablesTotal) process.stderr.write('\n');
      } else if (p.tablesDone < p.tablesTotal) io.err(`tpcds ${p.table}: ${stats}`);
    },
  });
  const seconds = result.ms / 1000;
  io.out(
    `wrote TPC-DS SF${sf} (seed ${seed}) to ${result.out}: 24 tables, ${result.rows.toLocaleString('en-US')} rows in ` +
      `${seconds.toFixed(1)} s (${Math.round(result.rows / seconds).toLocaleString('en-US')} rows/s); ` +
      `store_sales ${result.counts.store_sales.toLocaleString('en-US')}, inventory ${result.counts.inventory.toLocaleString('en-US')}`,
  );
  return 0;
}
