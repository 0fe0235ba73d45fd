import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, startDashboardServer } from '../../src/dashboards/local/server.ts';
import { buildStaticSite } from '../../src/dashboards/local/static-site.ts';
import {
  clickPoint,
  gotoDashboard,
  launchChromium,
  openPage,
  serveFolder,
  type VisualAttributes,
  visualAttributes,
} from './fixtures/browser.ts';
import {
  type ChurnRow,
  churnRows,
  FIXTURE_DATASETS,
  type RunRow,
  runRows,
  writeFixtureSnapshots,
} from './fixtures/fixture-datasets.ts';
import { FIXTURE_DASHBOARDS } from './fixtures/index.ts';

const SCREENSHOTS = path.resolve('test-output/screenshots');

let dataDir: string;
let server: DashboardServer;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-local-page-'));
  await writeFixtureSnapshots(dataDir);
  await mkdir(SCREENSHOTS, { recursive: true });
  server = await startDashboardServer({
    dataDir,
    dashboards: FIXTURE_DASHBOARDS,
    datasets: FIXTURE_DATASETS,
    log: () => {},
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(async () => {
  await page?.close();
});

async function open(id: string, base = server.url, suffix = ''): Promise<Record<string, VisualAttributes>> {
  ({ page, problems } = await openPage(browser));
  await gotoDashboard(page, `${base}d/${id}${suffix}`);
  return visualAttributes(page);
}

// Independent expectations, from the same rows the snapshots hold.
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const inRange = (iso: string, from: string, to: string) => iso >= from && iso < to;
const churnIn = (from: string, to: string, keep: (r: ChurnRow) => boolean = () => true) =>
  churnRows().filter((r) => inRange(r.hour, from, to) && keep(r));
const NOV1 = '2026-11-01T00:00:00.000Z';
const NOV8 = '2026-11-08T00:00:00.000Z';

function groupSum<T>(rows: T[], key: (r: T) => string, value: (r: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + value(r));
  return out;
}

describe('local page: churn fixture (parameters, filters, drill-down)', () => {
  it('renders every visual with the values of the data', async () => {
    const v = await open('lakeq-fixture-churn');
    const rows = churnIn(NOV1, NOV8);
    expect(rows).toHaveLength(336);
    expect(Object.keys(v).sort()).toEqual(
      [
        'bar-account',
        'kpi-accounts',
        'kpi-created',
        'line-daily',
        'pie-region',
        'pivot-region',
        'table-account',
      ].sort(),
    );
    for (const visual of Object.values(v)) {
      expect(visual.state, visual.id).toBe('ready');
      expect(visual.rows, visual.id).toBe(336);
    }
    expect(v['kpi-created']?.value).toBe(sum(rows.map((r) => r.created)));
    expect(v['kpi-accounts']?.value).toBe(3);
    expect(await page.locator('[data-visual-id="kpi-created"] .kpi-value').textContent()).toBe(
      sum(rows.map((r) => r.created)).toLocaleString('en-US'),
    );

    const days = [...new Set(rows.map((r) => r.hour.slice(0, 10)))].sort();
    const created = groupSum(
      rows,
      (r) => r.hour.slice(0, 10),
      (r) => r.created,
    );
    const deleted = groupSum(
      rows,
      (r) => r.hour.slice(0, 10),
      (r) => r.deleted,
    );
    expect(v['line-daily']?.values).toEqual({
      categories: days,
      series: [
        { name: 'Sum of created', data: days.map((d) => created.get(d)) },
        { name: 'Sum of deleted', data: days.map((d) => deleted.get(d)) },
      ],
    });
    expect(v['line-daily']?.hasChart).toBe(true);

    // Stacked bars: accounts by total created, largest first; one series per Region.
    const byAccount = groupSum(
      rows,
      (r) => r.account_id,
      (r) => r.created,
    );
    const accounts = [...byAccount.keys()].sort((a, b) => (byAccount.get(b) ?? 0) - (byAccount.get(a) ?? 0));
    const byAccountRegion = groupSum(
      rows,
      (r) => `${r.account_id}/${r.region}`,
      (r) => r.created,
    );
    expect(v['bar-account']?.values).toEqual({
      categories: accounts,
      series: ['eu-west-1', 'us-east-1'].map((region) => ({
        name: region,
        data: accounts.map((a) => byAccountRegion.get(`${a}/${region}`)),
      })),
    });

    const deletedByRegion = groupSum(
      rows,
      (r) => r.region,
      (r) => r.deleted,
    );
    const pie = v['pie-region']?.values as { categories: string[]; series: { data: number[] }[] };
    expect(Object.fromEntries(pie.categories.map((c, i) => [c, pie.series[0]?.data[i]]))).toEqual(
      Object.fromEntries(deletedByRegion),
    );

    // Table: sorted by created, descending; 6 groups.
    const table = v['table-account']?.values as { headers: string[]; rows: unknown[][] };
    expect(table.headers).toEqual([
      'account_id',
      'region',
      'Sum of created',
      'Sum of deleted',
      'Max of created',
      'Average of deleted',
    ]);
    expect(v['table-account']?.tableRows).toBe(6);
    const createdCol = table.rows.map((r) => r[2] as number);
    expect(createdCol).toEqual([...createdCol].sort((a, b) => b - a));
    for (const r of table.rows) {
      const group = rows.filter((x) => x.account_id === r[0] && x.region === r[1]);
      expect(r.slice(2, 5)).toEqual([
        sum(group.map((x) => x.created)),
        sum(group.map((x) => x.deleted)),
        Math.max(...group.map((x) => x.created)),
      ]);
      expect(r[5]).toBeCloseTo(sum(group.map((x) => x.deleted)) / group.length, 9);
    }

    const pivot = v['pivot-region']?.values as { headers: string[]; rows: unknown[][] };
    expect(pivot.headers).toEqual(['account_id', 'eu-west-1', 'us-east-1']);
    expect(pivot.rows).toEqual(
      [...new Set(rows.map((r) => r.account_id))]
        .sort()
        .map((a) => [a, byAccountRegion.get(`${a}/eu-west-1`), byAccountRegion.get(`${a}/us-east-1`)]),
    );
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'fixture-lakeq-fixture-churn.png'),
      fullPage: true,
    });
    expect(problems).toEqual([]);
  });

  it('applies the controls: a Region dropdown (to its scoped visuals), an account multi-select, a date picker', async () => {
    await open('lakeq-fixture-churn');
    await page.selectOption('[data-control-id="fc-region"] select', 'us-east-1');
    let v = await visualAttributes(page);
    expect(v['kpi-created']?.value).toBe(
      sum(churnIn(NOV1, NOV8, (r) => r.region === 'us-east-1').map((r) => r.created)),
    );
    expect(v['table-account']?.tableRows).toBe(3);
    // The Region filter is scoped to three visuals: the pie still shows both Regions.
    expect((v['pie-region']?.values as { categories: string[] } | undefined)?.categories).toHaveLength(2);
    expect(v['pie-region']?.rows).toBe(336);

    await page.click('[data-control-id="pc-accounts"] summary');
    await page.check('[data-control-id="pc-accounts"] input[value="444455556666"]');
    v = await visualAttributes(page);
    const keep = (r: ChurnRow) => r.region === 'us-east-1' && r.account_id === '444455556666';
    expect(v['kpi-created']?.value).toBe(sum(churnIn(NOV1, NOV8, keep).map((r) => r.created)));
    expect(v['kpi-accounts']?.value).toBe(1);
    expect(await page.locator('[data-control-id="pc-accounts"] summary').textContent()).toBe('444455556666');

    await page.fill('[data-control-id="pc-from"] input[type="date"]', '2026-11-05');
    v = await visualAttributes(page);
    expect(v['kpi-created']?.value).toBe(
      sum(churnIn('2026-11-05T00:00:00.000Z', NOV8, keep).map((r) => r.created)),
    );
    expect((v['line-daily']?.values as { categories: string[] } | undefined)?.categories).toEqual([
      '2026-11-05',
      '2026-11-06',
      '2026-11-07',
    ]);
    expect(problems).toEqual([]);
  });

  it('drills down: clicking a bar filters its targets, shows a chip, and the chip clears it', async () => {
    const before = await open('lakeq-fixture-churn');
    const bar = before['bar-account']?.values as { categories: string[]; series: { data: number[] }[] };
    const account = bar.categories[0] ?? '';
    const series = bar.series.findIndex((s) => (s.data[0] ?? 0) > 0);
    await clickPoint(page, 'bar-account', 0, series);
    await page.waitForSelector('.chip');
    const v = await visualAttributes(page);
    const rows = churnIn(NOV1, NOV8, (r) => r.account_id === account);
    const table = v['table-account']?.values as { rows: unknown[][] };
    expect(table.rows.map((r) => r[0])).toEqual([account, account]);
    expect(v['pie-region']?.rows).toBe(rows.length);
    const pie = v['pie-region']?.values as { categories: string[]; series: { data: number[] }[] };
    expect(Object.fromEntries(pie.categories.map((c, i) => [c, pie.series[0]?.data[i]]))).toEqual(
      Object.fromEntries(
        groupSum(
          rows,
          (r) => r.region,
          (r) => r.deleted,
        ),
      ),
    );
    // Not a target: unchanged.
    expect(v['kpi-created']?.value).toBe(before['kpi-created']?.value);
    expect(v['bar-account']?.values).toEqual(before['bar-account']?.values);
    expect(await page.locator('.chip').textContent()).toContain(`account_id = ${account}`);

    await page.click('.chip .chip-clear');
    const cleared = await visualAttributes(page);
    expect(await page.locator('.chip').count()).toBe(0);
    expect(cleared['table-account']?.values).toEqual(before['table-account']?.values);
    expect(problems).toEqual([]);
  });
});

describe('local page: Glue fixture (sheets, list/range/numeric filters, table drill-down)', () => {
  const base = (r: RunRow) =>
    inRange(r.started_at, '2026-10-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z') &&
    r.duration_s >= 1 &&
    r.job_name !== 'legacy-job';

  it('renders the jobs sheet with its filters applied, and drills from a job to its runs', async () => {
    const v = await open('lakeq-fixture-glue');
    const rows = runRows().filter((r) => base(r) && ['SUCCEEDED', 'FAILED'].includes(r.status));
    expect(rows.length).toBeGreaterThan(20);
    expect(v['kpi-min-duration']?.value).toBe(Math.min(...rows.map((r) => r.duration_s)));
    expect(v['kpi-dpu']?.value).toBeCloseTo(sum(rows.map((r) => r.dpu_hours)), 9);
    expect(v['table-runs']?.rowCount).toBe(rows.length);
    const runs = v['table-runs']?.values as { rows: string[][] };
    const started = runs.rows.map((r) => r[2] ?? '');
    expect(started).toEqual([...started].sort().reverse());
    const jobs = v['bar-jobs']?.values as {
      categories: string[];
      series: { name: string; data: number[] }[];
    };
    expect(jobs.categories).not.toContain('legacy-job');
    for (const [i, job] of jobs.categories.entries()) {
      const d = rows.filter((r) => r.job_name === job).map((r) => r.duration_s);
      expect(jobs.series[0]?.data[i]).toBeCloseTo(sum(d) / d.length, 9);
      expect(jobs.series[1]?.data[i]).toBe(Math.max(...d));
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fixture-lakeq-fixture-glue.png'), fullPage: true });

    // A horizontal bar: drill into the first job; every visual of the sheet is a target.
    const job = jobs.categories[0] ?? '';
    await clickPoint(page, 'bar-jobs', 0, 0);
    await page.waitForSelector('.chip');
    const drilled = await visualAttributes(page);
    const jobRuns = rows.filter((r) => r.job_name === job);
    expect(drilled['table-runs']?.rowCount).toBe(jobRuns.length);
    expect(
      new Set((drilled['table-runs']?.values as { rows: string[][] } | undefined)?.rows.map((r) => r[0])),
    ).toEqual(new Set([job]));
    expect(drilled['kpi-dpu']?.value).toBeCloseTo(sum(jobRuns.map((r) => r.dpu_hours)), 9);
    // Clicking the same bar again clears the drill-down.
    await clickPoint(page, 'bar-jobs', 0, 0);
    expect(await page.locator('.chip').count()).toBe(0);
    expect((await visualAttributes(page))['table-runs']?.rowCount).toBe(rows.length);
    expect(problems).toEqual([]);
  });

  it('applies the status multi-select and the date range picker', async () => {
    await open('lakeq-fixture-glue');
    await page.click('[data-control-id="fc-status"] summary');
    await page.uncheck('[data-control-id="fc-status"] input[value="FAILED"]');
    let v = await visualAttributes(page);
    let rows = runRows().filter((r) => base(r) && r.status === 'SUCCEEDED');
    expect(v['table-runs']?.rowCount).toBe(rows.length);
    const lines = v['line-weekly']?.values as { series: { name: string }[] };
    expect(lines.series.map((s) => s.name)).toEqual(['SUCCEEDED']);

    await page.fill('[data-control-id="fc-started"] input[aria-label="to"]', '2026-11-01');
    v = await visualAttributes(page);
    rows = rows.filter((r) => r.started_at < '2026-11-01T00:00:00.000Z');
    expect(v['table-runs']?.rowCount).toBe(rows.length);
    expect(v['kpi-dpu']?.value).toBeCloseTo(sum(rows.map((r) => r.dpu_hours)), 9);
    expect(problems).toEqual([]);
  });

  it('renders the metrics sheet: pie of counts, monthly line, percent bars, pivot, numeric group-by', async () => {
    await open('lakeq-fixture-glue', server.url, '#metrics');
    const v = await visualAttributes(page);
    // fg-status is scoped to the jobs sheet only: TIMEOUT runs count here.
    const rows = runRows().filter(base);
    expect(Object.keys(v).sort()).toEqual([
      'bar-percent',
      'line-monthly',
      'pie-status',
      'pivot-month',
      'table-attempts',
    ]);
    const pie = v['pie-status']?.values as { categories: string[]; series: { data: number[] }[] };
    expect(Object.fromEntries(pie.categories.map((c, i) => [c, pie.series[0]?.data[i]]))).toEqual(
      Object.fromEntries(
        groupSum(
          rows,
          (r) => r.status,
          () => 1,
        ),
      ),
    );
    const months = groupSum(
      rows,
      (r) => r.started_at.slice(0, 7),
      (r) => r.records ?? 0,
    );
    expect(v['line-monthly']?.values).toEqual({
      categories: [...months.keys()].sort(),
      series: [{ name: 'Sum of records', data: [...months.keys()].sort().map((m) => months.get(m)) }],
    });
    const pct = v['bar-percent']?.values as { categories: string[]; series: { data: (number | null)[] }[] };
    for (const [i, account] of pct.categories.entries()) {
      const counts = pct.series.map((s) => s.data[i] ?? 0);
      expect(sum(counts)).toBe(rows.filter((r) => r.account_id === account).length);
    }
    const pivot = v['pivot-month']?.values as { headers: string[]; rows: unknown[][] };
    expect(pivot.headers).toEqual([
      'job_name',
      '2026-10 · Sum of dpu_hours',
      '2026-10 · Average of duration_s',
      '2026-11 · Sum of dpu_hours',
      '2026-11 · Average of duration_s',
    ]);
    for (const r of pivot.rows) {
      const oct = rows.filter((x) => x.job_name === r[0] && x.started_at.startsWith('2026-10'));
      expect(r[1]).toBeCloseTo(sum(oct.map((x) => x.dpu_hours)), 9);
      expect(r[2]).toBeCloseTo(sum(oct.map((x) => x.duration_s)) / oct.length, 9);
    }
    const attempts = v['table-attempts']?.values as { rows: number[][] };
    expect(attempts.rows.map((r) => r[0])).toEqual([0, 1, 2]);
    for (const r of attempts.rows) {
      const group = rows.filter((x) => x.attempt === r[0]);
      expect(r[1]).toBe(new Set(group.map((x) => x.job_name)).size);
      expect(r[2]).toBe(group.filter((x) => x.records !== null).length);
    }
    for (const visual of Object.values(v)) expect(visual.state, visual.id).toBe('ready');
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'fixture-lakeq-fixture-glue-metrics.png'),
      fullPage: true,
    });
    expect(problems).toEqual([]);
  });
});

describe('local page: unsupported parts', () => {
  it('shows an unsupported box and note, renders the rest, and logs no console error', async () => {
    const v = await open('lakeq-fixture-unsupported');
    expect(v.scatter?.state).toBe('unsupported');
    expect(await page.locator('[data-visual-id="scatter"]').textContent()).toContain(
      'Unsupported visual: ScatterPlotVisual',
    );
    expect(await page.locator('[data-control-id="pc-list"]').getAttribute('data-state')).toBe('unsupported');
    expect(await page.locator('.notes .warning').first().textContent()).toContain(
      'TopBottomFilter is not applied',
    );
    expect(v['kpi-deleted']?.value).toBe(sum(churnRows().map((r) => r.deleted)));
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'fixture-lakeq-fixture-unsupported.png'),
      fullPage: true,
    });
    expect(problems).toEqual([]);
  });
});

describe('static build in the browser', () => {
  let out: string;
  let site: { url: string; server: Server };
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'lakeq-local-static-'));
    await buildStaticSite({
      out,
      dataDir,
      dashboards: FIXTURE_DASHBOARDS,
      datasets: FIXTURE_DATASETS,
      log: () => {},
    });
    site = await serveFolder(out);
  });
  afterAll(async () => {
    site?.server.close();
    await rm(out, { recursive: true, force: true });
  });

  it('renders from a plain static file server, linked from its index', async () => {
    ({ page, problems } = await openPage(browser));
    await page.goto(`${site.url}index.html`);
    await page.click('a[href="d/lakeq-fixture-churn.html"]');
    await page.waitForSelector('#dashboard[data-state]');
    const v = await visualAttributes(page);
    expect(v['kpi-created']?.value).toBe(sum(churnIn(NOV1, NOV8).map((r) => r.created)));
    for (const visual of Object.values(v)) expect(visual.state, visual.id).toBe('ready');
    await page.click('a.back');
    await page.waitForSelector('ul.dashboards');
    expect(problems).toEqual([]);
  });
});
