import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, startDashboardServer } from '../../src/dashboards/local/server.ts';
import { buildStaticSite } from '../../src/dashboards/local/static-site.ts';
import { unsupportedFeatures } from '../../src/dashboards/local/supported-subset.ts';
import { spiceDir } from '../../src/orchestration/local-spice.ts';
import {
  CHURN_DATASET,
  churnRows,
  FIXTURE_DATASETS,
  RUNS_DATASET,
  UNUSED_DATASET,
  writeFixtureSnapshots,
} from './fixtures/fixture-datasets.ts';
import { FIXTURE_DASHBOARDS } from './fixtures/index.ts';

let dataDir: string;
let server: DashboardServer;
const warnings: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-local-server-'));
  await writeFixtureSnapshots(dataDir);
  server = await startDashboardServer({
    dataDir,
    dashboards: FIXTURE_DASHBOARDS,
    datasets: FIXTURE_DATASETS,
    log: (line) => warnings.push(line),
  });
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A raw HTTP request (fetch would normalize `..` and percent-escapes away). */
function raw(
  rawPath: string,
  options: { method?: string; host?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: rawPath,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${server.port}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('local dashboard server: what it serves', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves the index, each dashboard page, its definition, the assets and ECharts', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['content-security-policy']).toContain("default-src 'none'");
    for (const d of FIXTURE_DASHBOARDS) {
      expect(index.body).toContain(`href="d/${d.id}"`);
      const page = await raw(`/d/${d.id}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(`data-dashboard-id="${d.id}"`);
      expect(page.body).toContain('src="../assets/echarts.min.js"');
      const definition = JSON.parse((await raw(`/definitions/${d.id}.json`)).body);
      expect(definition).toEqual(JSON.parse(JSON.stringify(d)));
    }
    const echarts = await raw('/assets/echarts.min.js');
    expect(echarts.status).toBe(200);
    expect(echarts.headers['content-type']).toMatch(/^text\/javascript/);
    expect(echarts.body.length).toBeGreaterThan(500_000);
    const assets = await readdir(path.resolve('src/dashboards/local/assets'));
    for (const name of assets) {
      const served = await raw(`/assets/${name}`);
      expect(served.status, name).toBe(200);
      expect(served.body).toBe(await readFile(path.resolve('src/dashboards/local/assets', name), 'utf8'));
    }
    const head = await raw('/assets/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it("serves the rows of a dataset's latest COMPLETED snapshot, JSON-friendly", async () => {
    const res = await raw(`/data/${CHURN_DATASET.id}.json`);
    expect(res.status).toBe(200);
    const data = JSON.parse(res.body) as {
      ingestionId: string;
      columns: { name: string }[];
      rows: unknown[][];
    };
    // run-3 FAILED after run-2 COMPLETED; run-1 is older.
    expect(data.ingestionId).toBe('run-2');
    expect(data.columns.map((c) => c.name)).toEqual([
      'hour',
      'account_id',
      'region',
      'created',
      'deleted',
      'actors',
    ]);
    const expected = churnRows();
    expect(data.rows).toHaveLength(expected.length);
    expect(data.rows[5]).toEqual(Object.values(expected[5] ?? {}));
    // BIGINT arrives as a number, TIMESTAMP as an ISO string.
    expect(typeof data.rows[5]?.[3]).toBe('number');
    expect(data.rows[5]?.[0]).toMatch(/^2026-10-30T\d\d:00:00\.000Z$/);
  });

  it('reads a newer ingestion once it is COMPLETED (the cache is per ingestion id)', async () => {
    const before = JSON.parse((await raw(`/data/${RUNS_DATASET.id}.json`)).body) as { rows: unknown[] };
    const dir = spiceDir(dataDir, RUNS_DATASET.id);
    const status = JSON.parse(await readFile(path.join(dir, 'run-1.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(
      path.join(dir, 'run-4.json'),
      JSON.stringify({ ...status, IngestionId: 'run-4', CreatedTime: '2026-11-11T00:00:00.000Z' }),
    );
    await writeFile(path.join(dir, 'run-4.parquet'), await readFile(path.join(dir, 'run-1.parquet')));
    try {
      const after = JSON.parse((await raw(`/data/${RUNS_DATASET.id}.json`)).body) as {
        ingestionId: string;
        rows: unknown[];
      };
      expect(before.rows).toHaveLength(150);
      expect(after.ingestionId).toBe('run-4');
      expect(after.rows).toHaveLength(3);
    } finally {
      await rm(path.join(dir, 'run-4.json'));
      await rm(path.join(dir, 'run-4.parquet'));
    }
    const back = JSON.parse((await raw(`/data/${RUNS_DATASET.id}.json`)).body) as { rows: unknown[] };
    expect(back.rows).toHaveLength(150);
  });

  it('answers an empty dataset (not an error) while a used dataset has no snapshot', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'lakeq-local-empty-'));
    const empty = await startDashboardServer({
      dataDir: other,
      dashboards: FIXTURE_DASHBOARDS,
      datasets: FIXTURE_DATASETS,
      log: () => {},
    });
    try {
      const res = await fetch(`${empty.url}data/${CHURN_DATASET.id}.json`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        datasetId: CHURN_DATASET.id,
        ingestionId: null,
        createdTime: null,
        columns: [],
        rows: [],
      });
    } finally {
      await empty.close();
      await rm(other, { recursive: true, force: true });
    }
  });

  it('warns about the parts of a definition it does not render', () => {
    expect(warnings).toEqual([
      'warning: lakeq-fixture-unsupported: filter group "fg-top": TopBottomFilter is not applied locally',
      'warning: lakeq-fixture-unsupported: sheet "only": parameter control List is not supported',
      'warning: lakeq-fixture-unsupported: sheet "only": visual "scatter" is a ScatterPlotVisual, which the local page shows as unsupported',
    ]);
    const [churn, glue] = FIXTURE_DASHBOARDS;
    expect(churn && unsupportedFeatures(churn)).toEqual([]);
    expect(glue && unsupportedFeatures(glue)).toEqual([]);
  });
});

describe('local dashboard server: what it refuses', () => {
  it.each([
    ['/data/lakeq-unknown.json', 404],
    [`/data/${UNUSED_DATASET.id}.json`, 404],
    ['/data/../spice/lakeq-fixture-churn-hourly/run-2.parquet', 404],
    ['/data/%2e%2e/%2e%2e/etc/passwd', 404],
    ['/assets/..%2f..%2fserver.ts', 404],
    ['/assets/%2e%2e%2fserver.ts', 404],
    ['/assets/../server.ts', 404],
    ['/assets/server.ts', 404],
    ['/assets/', 404],
    ['/etc/passwd', 404],
    ['//etc/passwd', 404],
    ['/d/../../etc/passwd', 404],
    ['/d/lakeq-no-such-dashboard', 404],
    ['/definitions/lakeq-no-such.json', 404],
    ['/definitions/..%2Fpackage.json', 404],
    ['/spice/lakeq-fixture-churn-hourly/run-2.parquet', 404],
    ['/package.json', 404],
    ['/index.html', 404],
    [`/data/${CHURN_DATASET.id}.json?sql=select%201`, 400],
    [`/data/${CHURN_DATASET.id}.json?`, 400],
    ['/?x=1', 400],
  ])('GET %s → %i', async (url, status) => {
    const res = await raw(url);
    expect(res.status).toBe(status);
    expect(res.body).not.toContain('111122223333');
    expect(res.body).not.toContain('root:');
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s → 405', async (method) => {
    const res = await raw(`/data/${CHURN_DATASET.id}.json`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.body).not.toContain('111122223333');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await raw(`/data/${CHURN_DATASET.id}.json`, { host: 'attacker.example:80' });
    expect(res.status).toBe(403);
    expect((await raw('/', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses dashboards that name a dataset that does not exist, or a bad port', async () => {
    const [churn] = FIXTURE_DASHBOARDS;
    if (!churn) throw new Error('no fixture');
    await expect(
      startDashboardServer({
        dataDir,
        dashboards: [{ ...churn, datasets: { churn: 'lakeq-nope' } }],
        datasets: FIXTURE_DATASETS,
      }),
    ).rejects.toThrow(
      'dashboard lakeq-fixture-churn: dataset "churn" is "lakeq-nope", which is no SPICE dataset',
    );
    await expect(
      startDashboardServer({ dataDir, dashboards: [churn, churn], datasets: FIXTURE_DATASETS }),
    ).rejects.toThrow('two dashboards have the id "lakeq-fixture-churn"');
    await expect(
      startDashboardServer({ dataDir, dashboards: [], datasets: FIXTURE_DATASETS, port: 70_000 }),
    ).rejects.toThrow('port 70000 is not an integer from 0 to 65535');
  });
});

describe('static build', () => {
  it('writes index, pages, assets, data and definitions with relative links', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'lakeq-local-site-'));
    try {
      const summary = await buildStaticSite({
        out,
        dataDir,
        dashboards: FIXTURE_DASHBOARDS,
        datasets: FIXTURE_DATASETS,
        log: () => {},
      });
      expect(summary.datasets).toEqual({ [CHURN_DATASET.id]: 528, [RUNS_DATASET.id]: 150 });
      expect([...summary.files].sort()).toEqual(
        [
          'index.html',
          ...FIXTURE_DASHBOARDS.flatMap((d) => [`d/${d.id}.html`, `definitions/${d.id}.json`]),
          `data/${CHURN_DATASET.id}.json`,
          `data/${RUNS_DATASET.id}.json`,
          'assets/echarts.min.js',
          ...(await readdir(path.resolve('src/dashboards/local/assets'))).map((n) => `assets/${n}`),
        ].sort(),
      );
      const index = await readFile(path.join(out, 'index.html'), 'utf8');
      expect(index).toContain('href="d/lakeq-fixture-churn.html"');
      expect(index).not.toMatch(/(href|src)="\//);
      const page = await readFile(path.join(out, 'd', 'lakeq-fixture-churn.html'), 'utf8');
      expect(page).toContain('href="../index.html"');
      expect(page).not.toMatch(/(href|src)="\//);
      const data = JSON.parse(await readFile(path.join(out, 'data', `${CHURN_DATASET.id}.json`), 'utf8'));
      expect(data.rows).toEqual(churnRows().map((r) => Object.values(r)));
      // The unused dataset stays out.
      expect(await readdir(path.join(out, 'data'))).not.toContain(`${UNUSED_DATASET.id}.json`);
      expect((await readdir(out, { recursive: true })).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
