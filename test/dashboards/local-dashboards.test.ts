import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../../dashboards/index.ts';
import { compareCbo } from '../../src/benchmarks/tpcds/cbo-compare.ts';
import { cboRunId, writeCboRuns } from '../../src/benchmarks/tpcds/cbo-runs-table.ts';
import { CBO_RUNS_DATASET, refreshCboSnapshot } from '../../src/benchmarks/tpcds/cbo-snapshot.ts';
import { TABLES } from '../../src/catalog/tables/index.ts';
import type { LakeqDashboard } from '../../src/dashboards/dashboard-definition.ts';
import { SPICE_DATASETS } from '../../src/dashboards/datasets.ts';
import { type DashboardServer, startDashboardServer } from '../../src/dashboards/local/server.ts';
import { spiceDatasetColumns } from '../../src/dashboards/spice-dataset-columns.ts';
import { createDuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { latestSnapshot } from '../../src/orchestration/local-spice.ts';
import { runStateMachine, type StateMachineRun } from '../../src/orchestration/run-state-machine.ts';
import type { LibraryQuery } from '../../src/query/define-query.ts';
import { loadQuery } from '../../src/query/registry.ts';
import { writeCloudTrailSample } from '../../src/sources/cloudtrail/sample.ts';
import { DEFAULT_GLUE_PRICES } from '../../src/sources/glue/collect/prices.ts';
import { writeGlueSample } from '../../src/sources/glue/sample.ts';
import { writeIdentityCenterSample } from '../../src/sources/identity-center/sample.ts';
import { writeSecurityLakeSample } from '../../src/sources/security-lake/sample.ts';
import {
  clickPoint,
  launchChromium,
  openPage,
  type VisualAttributes,
  visualAttributes,
} from './fixtures/browser.ts';

/*
 * The dashboards of dashboards/ on the local page, over the sample estate as `npm start` builds
 * it (smaller): a CloudTrail, a Glue and an Identity Center sample in the data folder's raw/, loaded by the real
 * backfill state machine, which refreshes the local SPICE snapshots the page reads. One load
 * fails on the way (a file stands where a partition folder goes) and the next backfill retries
 * it, so the pipeline-health dashboard has failures to show. Every value the tests expect is
 * computed here with SQL over the snapshot Parquet files, not by the page's code.
 */

const FROM = '2026-11-01T00:00:00Z';
const TO = '2026-11-03T00:00:00Z';
const SCREENSHOTS = path.resolve('test-output/screenshots');
const FAILED_STATES = ['FAILED', 'ERROR', 'TIMEOUT'];
const DEFAULT_METRIC = 'glue.driver.aggregate.elapsedTime';
/** The DuckDB type a snapshot column of each SPICE type has (what QuickSight would hold). */
const DUCKDB_TYPE_OF_SPICE: Record<string, string> = {
  STRING: 'VARCHAR',
  INTEGER: 'BIGINT',
  DECIMAL: 'DOUBLE',
  DATETIME: 'TIMESTAMP',
  BOOLEAN: 'BOOLEAN',
};

let root: string;
let dataDir: string;
const runs: StateMachineRun[] = [];
let server: DashboardServer;
let browser: Browser;
let duck: { instance: DuckDBInstance; con: DuckDBConnection };
const warnings: string[] = [];
/** The Parquet file of each dataset's latest snapshot. */
const snapshotFiles = new Map<string, string>();

const usedDatasets = [...new Set(DASHBOARDS.flatMap((d) => Object.values(d.datasets)))].sort();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-local-dashboards-'));
  dataDir = path.join(root, 'lakeq-data');
  const cloudtrailRoot = path.join(dataDir, 'raw', 'cloudtrail');
  const captured = path.join(dataDir, 'raw', 'glue-api');
  const identityCenter = path.join(dataDir, 'raw', 'identity-center-api');
  const lake = path.join(dataDir, 'raw', 'security-lake');
  const from = new Date(FROM);
  const to = new Date(TO);
  await Promise.all([
    writeCloudTrailSample({ out: cloudtrailRoot, from, to, seed: 1 }),
    writeGlueSample({ out: captured, from, to, seed: 1 }),
    writeIdentityCenterSample({ out: identityCenter, from, to, seed: 1 }),
    writeSecurityLakeSample({ out: lake, from, to, seed: 1, eventsPerHour: 10 }),
  ]);
  const options = {
    dataDir,
    sources: {
      cloudtrail: cloudtrailRoot,
      glue: captured,
      'identity-center': identityCenter,
      'security-lake': lake,
    },
    pricing: { glue: DEFAULT_GLUE_PRICES },
  };
  // A file where the partition folder of glue_job_metrics 2026-11-02 13:00 goes: that day's batch fails.
  const blocker = path.join(dataDir, 'curated', 'glue_job_metrics', 'dt=2026-11-02', 'hour=13');
  await mkdir(path.dirname(blocker), { recursive: true });
  await writeFile(blocker, 'not a folder');
  runs.push(
    await runStateMachine(
      'backfill',
      { from: FROM, to: TO },
      { ...options, now: new Date('2026-11-03T00:30:00Z') },
    ),
  );
  await rm(blocker);
  runs.push(
    await runStateMachine(
      'backfill',
      { from: FROM, to: TO },
      { ...options, now: new Date('2026-11-03T01:30:00Z') },
    ),
  );
  // Two TPC-DS comparisons (the harness over a stand-in engine: no generated data needed), recorded
  // as lakeq tpcds compare records them, with the local snapshot refreshed; in the second, q03's
  // modes return different rows (a mismatch).
  const tpcdsRoot = path.join(dataDir, 'raw', 'tpcds');
  const ms: Record<string, Record<string, number>> = {
    'tpcds/q02': { 'cbo-off': 1800, 'cbo-on': 900 },
    'tpcds/q82': { 'cbo-off': 713, 'cbo-on': 344 },
    'tpcds/q03': { 'cbo-off': 200, 'cbo-on': 210 },
  };
  const tpcdsQueries = (await Promise.all(Object.keys(ms).map((id) => loadQuery(id)))) as LibraryQuery[];
  const writer = await createDuckDbEngine({});
  let runId = '';
  for (const [k, startedAt] of [
    new Date('2026-11-03T02:00:00Z'),
    new Date('2026-11-03T03:00:00Z'),
  ].entries()) {
    const comparison = await compareCbo(
      {
        engine: 'duckdb',
        setMode: async () => {},
        run: async (query, mode) => ({
          rows: [{ n: k === 1 && query.id === 'tpcds/q03' && mode === 'cbo-on' ? 2 : 1 }],
          totalMs: (ms[query.id]?.[mode] ?? 1) * (k + 1),
        }),
        joinOrder: async (query, mode) =>
          mode === 'cbo-off' || query.id === 'tpcds/q03' ? ['item', 'store_sales'] : ['store_sales', 'item'],
      },
      { queries: tpcdsQueries, runs: 2 },
    );
    runId = cboRunId(startedAt, 'duckdb');
    await writeCboRuns(writer, tpcdsRoot, { runId, startedAt, engine: 'duckdb', scaleFactor: 1 }, comparison);
  }
  await writer.close();
  expect(await refreshCboSnapshot(dataDir, tpcdsRoot, runId)).toBe('COMPLETED');
  for (const id of usedDatasets) {
    const latest = await latestSnapshot(dataDir, id);
    if (latest) snapshotFiles.set(id, latest.file);
  }
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  duck = { instance, con: await instance.connect() };
  await mkdir(SCREENSHOTS, { recursive: true });
  server = await startDashboardServer({
    dataDir,
    dashboards: DASHBOARDS,
    datasets: SPICE_DATASETS,
    log: (line) => warnings.push(line),
  });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  duck?.con.closeSync();
  duck?.instance.closeSync();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Rows of SQL over snapshots: `{snapshot:<datasetId>}` stands for the dataset's latest Parquet file. */
async function sql(query: string): Promise<Record<string, unknown>[]> {
  const text = query.replace(/\{snapshot:([\w-]+)\}/g, (_, id: string) => {
    const file = snapshotFiles.get(id);
    if (!file) throw new Error(`no snapshot of ${id}`);
    return `read_parquet('${file.replace(/'/g, "''")}')`;
  });
  return (await duck.con.runAndReadAll(text)).getRowObjectsJS();
}

async function scalar(query: string): Promise<number> {
  const [row] = await sql(query);
  return Number(Object.values(row ?? {})[0]);
}

async function strings(query: string): Promise<string[]> {
  return (await sql(query)).map((r) => String(Object.values(r)[0]));
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

function dashboard(id: string): LakeqDashboard {
  const found = DASHBOARDS.find((d) => d.id === id);
  if (!found) throw new Error(`no dashboard ${id}`);
  return found;
}

/** Opens a dashboard (a sheet of it) afresh and waits until it rendered. */
async function open(page: Page, id: string, sheetId?: string): Promise<Record<string, VisualAttributes>> {
  // Through a blank page: a URL that differs only in its hash would not load the page again.
  await page.goto('about:blank');
  await page.goto(`${server.url}d/${id}${sheetId ? `#${sheetId}` : ''}`);
  await page.waitForSelector('#dashboard[data-state="ready"]');
  return visualAttributes(page);
}

/** Chooses `value` in a dropdown control (a select, or a multi-select's checkboxes). */
async function choose(page: Page, controlId: string, value: string): Promise<void> {
  const control = page.locator(`[data-control-id="${controlId}"]`);
  if ((await control.locator('details').count()) > 0) {
    await control.locator('summary').click();
    await control.locator(`input[type="checkbox"][value="${value}"]`).check();
    await control.locator('summary').click();
  } else {
    await control.locator('select').selectOption(value);
  }
}

/** What a chart or table publishes in data-values. */
function valuesOf<T>(visuals: Record<string, VisualAttributes>, id: string): T {
  const values = visuals[id]?.values;
  if (values === undefined) throw new Error(`visual ${id} publishes no values`);
  return values as T;
}

function kpi(visuals: Record<string, VisualAttributes>, id: string): number {
  const value = visuals[id]?.value;
  if (typeof value !== 'number') throw new Error(`KPI ${id} shows ${JSON.stringify(value)}`);
  return value;
}

describe('the sample estate, loaded by the backfill state machine', () => {
  it('ends with a COMPLETED snapshot with rows, in QuickSight shape, for every dataset a dashboard reads', async () => {
    expect(runs.map((r) => r.status)).toEqual(['FAILED', 'SUCCEEDED']);
    const failed = runs[0]?.ledgerRows.filter((r) => r.status === 'failed') ?? [];
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((r) => r.table))).toEqual(new Set(['glue_job_metrics']));
    // Every dataset a load writes; the comparison's is refreshed by lakeq tpcds compare instead.
    expect([...(runs[1]?.refreshedDatasets ?? [])].sort()).toEqual(
      usedDatasets.filter((d) => d !== CBO_RUNS_DATASET),
    );
    for (const id of usedDatasets) {
      const latest = await latestSnapshot(dataDir, id);
      expect(latest?.ingestion.IngestionStatus, id).toBe('COMPLETED');
      const rows = await scalar(`SELECT count(*) FROM {snapshot:${id}}`);
      expect(rows, id).toBeGreaterThan(0);
      expect(latest?.ingestion.RowInfo?.RowsIngested, id).toBe(rows);
      // The columns QuickSight has: lower-cased names, dt a TIMESTAMP.
      const described = await sql(`DESCRIBE SELECT * FROM {snapshot:${id}}`);
      const expected = spiceDatasetColumns(
        SPICE_DATASETS.find((d) => d.id === id) as (typeof SPICE_DATASETS)[number],
        TABLES,
      );
      expect(
        described.map((c) => [c.column_name, c.column_type]),
        id,
      ).toEqual(expected.map((c) => [c.Name, DUCKDB_TYPE_OF_SPICE[c.Type]]));
      if (expected.some((c) => c.Name === 'dt'))
        expect(described.find((c) => c.column_name === 'dt')?.column_type, id).toBe('TIMESTAMP');
    }
    // Every job of the sample ran in the window; the retried load has the failed hours.
    expect(
      await scalar('SELECT count(DISTINCT job_name) FROM {snapshot:lakeq-glue-job-runs}'),
    ).toBeGreaterThan(3);
    expect(await scalar(`SELECT count(*) FROM {snapshot:lakeq-pipeline-runs} WHERE status = 'failed'`)).toBe(
      failed.length,
    );
  });
});

describe('the dashboards of dashboards/ on the local page, over the sample estate', () => {
  it('stay inside the subset the local page renders (no server warning)', () => {
    expect(DASHBOARDS.length).toBe(6);
    expect(warnings).toEqual([]);
  });

  it.each(DASHBOARDS.map((d) => [d.id, d] as const))(
    '%s: every visual of every sheet has data; a dropdown and each drill-down change what visuals show',
    async (_, dashboard) => {
      const { page, problems } = await openPage(browser);
      try {
        const sheets = dashboard.definition.Sheets ?? [];
        for (const sheet of sheets) {
          const where = `${dashboard.id} / ${sheet.SheetId}`;
          const before = await open(page, dashboard.id, sheet.SheetId);
          const ids = (sheet.Visuals ?? []).flatMap((v) =>
            Object.values(v).flatMap((x) => (x && 'VisualId' in x ? [String(x.VisualId)] : [])),
          );
          expect(Object.keys(before).sort(), where).toEqual([...ids].sort());
          for (const v of Object.values(before)) {
            expect(v.state, `${where} / ${v.id}`).toBe('ready');
            expect(v.rows, `${where} / ${v.id}`).toBeGreaterThan(0);
            if (v.type === 'KPIVisual') expect(Number.isFinite(v.value), `${where} / ${v.id}`).toBe(true);
            else if (v.type === 'TableVisual' || v.type === 'PivotTableVisual')
              expect(v.tableRows, `${where} / ${v.id}`).toBeGreaterThan(0);
            else expect(v.hasChart, `${where} / ${v.id}`).toBe(true);
          }
          // Nothing the page shows is NaN, an unparsed date or a BigInt's text.
          const text = await page.locator('#dashboard').textContent();
          expect(text, where).not.toMatch(/NaN|Invalid Date|undefined|\b\d+n\b|\(empty\)/);
          await page.screenshot({
            path: path.join(
              SCREENSHOTS,
              `${dashboard.id}${sheets.length > 1 ? `-${sheet.SheetId}` : ''}.png`,
            ),
            fullPage: true,
          });

          const dropdown = page.locator('.controls [data-control-kind$=".Dropdown"]').first();
          if ((await dropdown.count()) > 0) {
            const controlId = (await dropdown.getAttribute('data-control-id')) ?? '';
            const options = await dropdown.locator('option, input[type="checkbox"]').evaluateAll((os) =>
              os.map((o) => {
                const e = o as unknown as { value: string; selected?: boolean; checked?: boolean };
                return { value: e.value, on: e.selected === true || e.checked === true };
              }),
            );
            const other = options.find((o) => o.value !== '' && !o.on);
            expect(other, `${where}: ${controlId} offers no other value`).toBeDefined();
            await choose(page, controlId, other?.value ?? '');
            const after = await visualAttributes(page);
            const changed = Object.values(after).filter(
              (v) => JSON.stringify(v) !== JSON.stringify(before[v.id]),
            );
            expect(changed.length, `${where}: ${controlId} changes no visual`).toBeGreaterThan(0);
            await open(page, dashboard.id, sheet.SheetId);
          }

          // Each drill-down: click its first data point; its targets narrow; the chip clears it.
          for (const visual of sheet.Visuals ?? []) {
            const [kind, v] = Object.entries(visual).find(([, x]) => x) ?? [];
            const spec = v as { VisualId: string; Actions?: { Trigger?: string }[] } | undefined;
            if (!kind || !spec?.Actions?.some((a) => a.Trigger === 'DATA_POINT_CLICK')) continue;
            const source = before[spec.VisualId];
            if (kind === 'TableVisual' || kind === 'PivotTableVisual') {
              await page.locator(`[data-visual-id="${spec.VisualId}"] tbody tr`).first().click();
            } else {
              const values = source?.values as { series: { data: (number | null)[] }[] };
              const series = Math.max(
                0,
                values.series.findIndex((s) => (s.data[0] ?? 0) > 0),
              );
              await clickPoint(page, spec.VisualId, 0, series);
            }
            await page.waitForSelector(`.chip[data-source-visual-id="${spec.VisualId}"]`);
            const drilled = await visualAttributes(page);
            const narrowed = Object.values(drilled).filter((x) => (x.rows ?? 0) < (before[x.id]?.rows ?? 0));
            expect(
              narrowed.length,
              `${where}: drill-down from ${spec.VisualId} narrows nothing`,
            ).toBeGreaterThan(0);
            expect(drilled[spec.VisualId]?.rows).toBe(source?.rows);
            await page.click(`.chip[data-source-visual-id="${spec.VisualId}"] .chip-clear`);
            const cleared = await visualAttributes(page);
            for (const x of Object.values(cleared))
              expect(x.rows, `${where} / ${x.id}`).toBe(before[x.id]?.rows);
          }
        }
        expect(problems, dashboard.id).toEqual([]);
      } finally {
        await page.close();
      }
    },
  );

  it('Identity Center churn: the KPIs are the snapshot sums; the account and date controls narrow them', async () => {
    const id = dashboard('lakeq-identity-center-churn').id;
    const churn = '{snapshot:lakeq-identity-center-instance-churn-hourly}';
    const { page, problems } = await openPage(browser);
    try {
      const all = await open(page, id);
      expect(kpi(all, 'kpi-created')).toBe(await scalar(`SELECT sum(created) FROM ${churn}`));
      expect(kpi(all, 'kpi-deleted')).toBe(await scalar(`SELECT sum(deleted) FROM ${churn}`));
      expect(kpi(all, 'kpi-net')).toBe(await scalar(`SELECT sum(net) FROM ${churn}`));
      // One point per UTC day of the window.
      const line = valuesOf<{ categories: string[] }>(all, 'line-per-day');
      expect(line.categories).toEqual(
        await strings(`SELECT DISTINCT strftime(dt, '%Y-%m-%d') AS d FROM ${churn} ORDER BY d`),
      );

      const [account] = await strings(
        `SELECT account_id FROM ${churn} GROUP BY 1 ORDER BY sum(created) DESC, 1 LIMIT 1`,
      );
      await choose(page, 'control-account', account ?? '');
      const one = await visualAttributes(page);
      expect(kpi(one, 'kpi-created')).toBe(
        await scalar(`SELECT sum(created) FROM ${churn} WHERE account_id = ${literal(account ?? '')}`),
      );
      expect(kpi(one, 'kpi-created')).toBeLessThan(kpi(all, 'kpi-created'));

      await open(page, id);
      await page.locator('[data-control-id="control-from"] input[type="date"]').fill('2026-11-02');
      const later = await visualAttributes(page);
      expect(kpi(later, 'kpi-created')).toBe(
        await scalar(`SELECT sum(created) FROM ${churn} WHERE dt >= TIMESTAMP '2026-11-02'`),
      );
      expect(kpi(later, 'kpi-created')).toBeLessThan(kpi(all, 'kpi-created'));
      // A day-granular range includes its last day: From = To = 2026-11-01 is that day.
      await page.locator('[data-control-id="control-from"] input[type="date"]').fill('2026-11-01');
      await page.locator('[data-control-id="control-to"] input[type="date"]').fill('2026-11-01');
      const firstDay = await visualAttributes(page);
      expect(kpi(firstDay, 'kpi-created')).toBe(
        await scalar(`SELECT sum(created) FROM ${churn} WHERE dt < TIMESTAMP '2026-11-02'`),
      );
      expect(kpi(firstDay, 'kpi-created') + kpi(later, 'kpi-created')).toBe(kpi(all, 'kpi-created'));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Identity Center inventory: the latest snapshot beside the churn, as the snapshots hold them', async () => {
    const id = dashboard('lakeq-identity-center-churn').id;
    const instances = '{snapshot:lakeq-identity-center-instances}';
    const duplicates = '{snapshot:lakeq-identity-center-duplicate-users}';
    const churn = '{snapshot:lakeq-identity-center-instance-churn-hourly}';
    const { page, problems } = await openPage(browser);
    try {
      const sheet = await open(page, id, 'inventory');
      // One snapshot day: the latest the backfill loaded.
      expect(await strings(`SELECT DISTINCT snapshot_day FROM ${instances}`)).toHaveLength(1);
      const total = await scalar(`SELECT count(*) FROM ${instances}`);
      expect(total).toBeGreaterThan(1);
      expect(kpi(sheet, 'kpi-instances')).toBe(total);
      const shared = await scalar(`SELECT count(email) FROM ${duplicates} WHERE kind = 'duplicate'`);
      expect(shared).toBeGreaterThan(0);
      expect(kpi(sheet, 'kpi-duplicates')).toBe(shared);
      expect(kpi(sheet, 'kpi-no-email')).toBe(
        await scalar(`SELECT count(*) FROM ${duplicates} WHERE kind = 'no_email'`),
      );
      // Instances per account, split by organization and account instances.
      const bar = valuesOf<{ categories: string[]; series: { name: string; data: (number | null)[] }[] }>(
        sheet,
        'bar-instances-by-account',
      );
      expect([...bar.categories].sort()).toEqual(
        await strings(`SELECT DISTINCT account_id FROM ${instances} ORDER BY 1`),
      );
      expect(bar.series.map((x) => x.name).sort()).toEqual(
        await strings(`SELECT DISTINCT instance_type FROM ${instances} ORDER BY 1`),
      );
      const sum = bar.series.flatMap((x) => x.data).reduce<number>((n, v) => n + (v ?? 0), 0);
      expect(sum).toBe(total);
      // The churn beside it covers the whole trail: no date control on this sheet.
      const beside = valuesOf<{ categories: string[] }>(sheet, 'bar-churn-beside-inventory');
      expect([...beside.categories].sort()).toEqual(
        await strings(`SELECT DISTINCT account_id FROM ${churn} ORDER BY 1`),
      );
      expect(sheet['table-duplicates']?.tableRows).toBe(shared);
      expect(sheet['table-no-email']?.tableRows).toBe(kpi(sheet, 'kpi-no-email'));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Security Lake: the findings KPIs and bars are the snapshot’s distinct active findings; the activity sheet’s sums', async () => {
    const id = dashboard('lakeq-security-lake').id;
    const findings = '{snapshot:lakeq-security-findings-daily}';
    const activity = '{snapshot:lakeq-security-lake-activity-daily}';
    const { page, problems } = await openPage(browser);
    try {
      const sheet = await open(page, id, 'findings');
      expect(kpi(sheet, 'kpi-active')).toBe(
        await scalar(`SELECT count(DISTINCT finding_uid) FROM ${findings} WHERE record_state = 'ACTIVE'`),
      );
      expect(kpi(sheet, 'kpi-critical')).toBe(
        await scalar(
          `SELECT count(DISTINCT finding_uid) FROM ${findings} WHERE record_state = 'ACTIVE' AND severity = 'Critical'`,
        ),
      );
      expect(kpi(sheet, 'kpi-critical')).toBeGreaterThan(0);
      const line = valuesOf<{ categories: string[] }>(sheet, 'line-severity');
      expect(line.categories).toEqual(
        await strings(
          `SELECT DISTINCT strftime(dt, '%Y-%m-%d') AS d FROM ${findings} WHERE record_state = 'ACTIVE' ORDER BY d`,
        ),
      );
      const other = await open(page, id, 'activity');
      expect(kpi(other, 'kpi-api-errors')).toBe(
        await scalar(`SELECT sum(events) FROM ${activity} WHERE signal = 'api_error'`),
      );
      expect(kpi(other, 'kpi-root')).toBe(
        await scalar(`SELECT sum(events) FROM ${activity} WHERE signal = 'root_activity'`),
      );
      expect(kpi(other, 'kpi-api-errors')).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Glue Jobs: runs, failures and cost are the snapshot values; the job control and the drill-down narrow them', async () => {
    const id = dashboard('lakeq-glue-jobs').id;
    const runsTable = '{snapshot:lakeq-glue-job-runs}';
    const failedIn = FAILED_STATES.map(literal).join(', ');
    const { page, problems } = await openPage(browser);
    try {
      const all = await open(page, id);
      expect(kpi(all, 'kpi-runs')).toBe(await scalar(`SELECT count(job_run_id) FROM ${runsTable}`));
      expect(kpi(all, 'kpi-failed')).toBe(
        await scalar(`SELECT count(job_run_id) FROM ${runsTable} WHERE job_run_state IN (${failedIn})`),
      );
      expect(kpi(all, 'kpi-failed')).toBeGreaterThan(0);
      expect(kpi(all, 'kpi-cost')).toBeCloseTo(
        await scalar(`SELECT sum(estimated_cost_usd) FROM ${runsTable}`),
        6,
      );

      // The bars: jobs by cost, most expensive first.
      const byCost = await sql(
        `SELECT job_name, sum(estimated_cost_usd) AS cost, count(*) AS n FROM ${runsTable} GROUP BY 1 ORDER BY 2 DESC`,
      );
      const bars = valuesOf<{ categories: string[]; series: { data: number[] }[] }>(all, 'bar-cost-by-job');
      expect(bars.categories).toEqual(byCost.map((r) => r.job_name));
      bars.series[0]?.data.forEach((v, i) => {
        expect(v).toBeCloseTo(Number(byCost[i]?.cost), 6);
      });

      // Drill from the most expensive job to its runs.
      const top = byCost[0];
      await clickPoint(page, 'bar-cost-by-job', 0);
      await page.waitForSelector('.chip[data-source-visual-id="bar-cost-by-job"]');
      const drilled = await visualAttributes(page);
      expect(drilled['table-runs']?.rowCount).toBe(Number(top?.n));
      const shown = valuesOf<{ rows: unknown[][] }>(drilled, 'table-runs').rows;
      expect(new Set(shown.map((r) => r[0]))).toEqual(new Set([top?.job_name]));
      expect(await page.locator('.chip').textContent()).toContain(String(top?.job_name));
      expect(drilled['kpi-runs']?.value).toBe(all['kpi-runs']?.value);

      // The job control narrows every visual to that job.
      const job = String(byCost.at(-1)?.job_name);
      await open(page, id);
      await choose(page, 'control-jobname', job);
      const one = await visualAttributes(page);
      expect(kpi(one, 'kpi-runs')).toBe(
        await scalar(`SELECT count(job_run_id) FROM ${runsTable} WHERE job_name = ${literal(job)}`),
      );
      expect(kpi(one, 'kpi-runs')).toBeLessThan(kpi(all, 'kpi-runs'));
      expect(one['table-runs']?.rowCount).toBe(kpi(one, 'kpi-runs'));

      // The date range on started_on, a timestamp with a time of day: To keeps all of its day.
      await open(page, id);
      await page.locator('[data-control-id="control-to"] input[type="date"]').fill('2026-11-01');
      const firstDay = await visualAttributes(page);
      expect(kpi(firstDay, 'kpi-runs')).toBe(
        await scalar(`SELECT count(*) FROM ${runsTable} WHERE started_on < TIMESTAMP '2026-11-02'`),
      );
      expect(kpi(firstDay, 'kpi-runs')).toBeLessThan(kpi(all, 'kpi-runs'));
      expect(valuesOf<{ categories: string[] }>(firstDay, 'line-cost-per-day').categories).toEqual([
        '2026-11-01',
      ]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Glue Metrics: the table and lines show the chosen metric of the snapshot', async () => {
    const id = dashboard('lakeq-glue-metrics').id;
    const metrics = '{snapshot:lakeq-glue-job-metrics}';
    const expectMetric = async (visuals: Record<string, VisualAttributes>, metric: string) => {
      const where = `metric_name = ${literal(metric)}`;
      const groups = await scalar(
        `SELECT count(*) FROM (SELECT DISTINCT job_name, job_run_id, metric_name, unit FROM ${metrics} WHERE ${where})`,
      );
      expect(visuals['table-values']?.rowCount, metric).toBe(groups);
      expect(visuals['table-values']?.rows, metric).toBe(
        await scalar(`SELECT count(*) FROM ${metrics} WHERE ${where}`),
      );
      const line = valuesOf<{ series: { name: string }[] }>(visuals, 'line-metric');
      expect(line.series.map((s) => s.name).sort(), metric).toEqual(
        await strings(`SELECT DISTINCT job_name FROM ${metrics} WHERE ${where} ORDER BY 1`),
      );
    };
    const { page, problems } = await openPage(browser);
    try {
      const first = await open(page, id);
      await expectMetric(first, DEFAULT_METRIC);
      const [other] = await strings(
        `SELECT metric_name FROM ${metrics} WHERE metric_name <> ${literal(DEFAULT_METRIC)} GROUP BY 1 ORDER BY count(DISTINCT job_name), 1 LIMIT 1`,
      );
      await choose(page, 'control-metricname', other ?? '');
      await expectMetric(await visualAttributes(page), other ?? '');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Pipeline health: loads, failures and rows are the ledger snapshot values', async () => {
    const id = dashboard('lakeq-pipeline-health').id;
    const ledger = '{snapshot:lakeq-pipeline-runs}';
    const { page, problems } = await openPage(browser);
    try {
      const all = await open(page, id);
      expect(kpi(all, 'kpi-loaded')).toBe(
        await scalar(`SELECT count(*) FROM ${ledger} WHERE status = 'loaded'`),
      );
      const failed = await scalar(`SELECT count(*) FROM ${ledger} WHERE status = 'failed'`);
      expect(kpi(all, 'kpi-failed')).toBe(failed);
      expect(all['table-failures']?.rowCount).toBe(failed);
      expect(kpi(all, 'kpi-rows')).toBe(await scalar(`SELECT sum(rows) FROM ${ledger}`));
      const table = valuesOf<{ headers: string[]; rows: unknown[][] }>(all, 'table-failures');
      const at = table.headers.indexOf('table');
      expect(new Set(table.rows.map((r) => r[at]))).toEqual(new Set(['glue_job_metrics']));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
