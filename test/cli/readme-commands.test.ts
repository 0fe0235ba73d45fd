import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../../dashboards/index.ts';
import { main } from '../../src/cli/main.ts';
import { captureIO } from '../support/capture-io.ts';

/* The README's commands for the Glue sample and the local dashboards, run as a user types them. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-readme-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tree(root: string): Promise<Map<string, string>> {
  const files = (await readdir(root, { recursive: true })).map(String).sort();
  const out = new Map<string, string>();
  for (const f of files) {
    if (f.endsWith('.json')) out.set(f, await readFile(path.join(root, f), 'utf8'));
  }
  return out;
}

describe('lakeq sample glue', () => {
  it('writes the same captured API responses for the same seed: jobs/, job-runs/, metrics/', async () => {
    const args = (out: string) => [
      'sample',
      'glue',
      '--out',
      out,
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-03',
      '--seed',
      '7',
    ];
    const io = captureIO();
    expect(await main(args(path.join(dir, 'g1')), io)).toBe(0);
    expect(io.stdout()).toMatch(/^wrote 8 Glue jobs, \d+ runs and \d+ metric datapoints in \d+ files/);
    expect(await main(args(path.join(dir, 'g2')), captureIO())).toBe(0);
    const [a, b] = [await tree(path.join(dir, 'g1')), await tree(path.join(dir, 'g2'))];
    expect([...a.keys()].some((f) => f.startsWith('jobs/'))).toBe(true);
    expect([...a.keys()].some((f) => f.startsWith('job-runs/'))).toBe(true);
    expect([...a.keys()].some((f) => f.startsWith('metrics/'))).toBe(true);
    expect(b).toEqual(a);
  });

  it('refuses the CloudTrail-only options and an unknown kind (exit 2)', async () => {
    const io = captureIO();
    const bad = [
      'sample',
      'glue',
      '--out',
      dir,
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-02',
      '--accounts',
      '3',
    ];
    expect(await main(bad, io)).toBe(2);
    expect(io.stderr()).toContain('--accounts and --events-per-hour are for cloudtrail');
    const kind = captureIO();
    expect(await main(['sample', 'guardduty', '--out', dir], kind)).toBe(2);
    expect(kind.stderr()).toContain('four kinds of data: cloudtrail, glue, identity-center, security-lake');
  });
});

describe('lakeq sample security-lake', () => {
  const args = (out: string, version: string) => [
    'sample',
    'security-lake',
    '--out',
    out,
    '--from',
    '2026-11-01',
    '--to',
    '2026-11-02',
    '--version',
    version,
    '--seed',
    '7',
  ];
  const files = async (root: string) => {
    const out = new Map<string, string>();
    for (const f of (await readdir(root, { recursive: true })).map(String).sort())
      if (f.endsWith('.parquet')) out.set(f, (await readFile(path.join(root, f))).toString('base64'));
    return out;
  };

  it('writes the same Parquet for the same seed, in Security Lake’s layout, in the versions asked for', async () => {
    const io = captureIO();
    expect(await main(args(path.join(dir, 'l1'), 'both'), io)).toBe(0);
    expect(io.stdout()).toMatch(
      /^wrote \d+ OCSF records in \d+ files to .* version 2 from 2026-11-01T01:00:00.000Z;/,
    );
    expect(await main(args(path.join(dir, 'l2'), 'both'), captureIO())).toBe(0);
    const [a, b] = [await files(path.join(dir, 'l1')), await files(path.join(dir, 'l2'))];
    expect(b).toEqual(a);
    const folders = new Set([...a.keys()].map((f) => f.split(path.sep).slice(0, 3).join('/')));
    expect([...folders].sort()).toEqual([
      'aws/CLOUD_TRAIL_MGMT/1.0',
      'aws/CLOUD_TRAIL_MGMT/2.0',
      'aws/ROUTE53/1.0',
      'aws/ROUTE53/2.0',
      'aws/SH_FINDINGS/1.0',
      'aws/SH_FINDINGS/2.0',
      'aws/VPC_FLOW/1.0',
      'aws/VPC_FLOW/2.0',
      'aws/WAF/2.0',
    ]);
    expect(await main(args(path.join(dir, 'l3'), '1'), captureIO())).toBe(0);
    expect([...(await files(path.join(dir, 'l3'))).keys()].every((f) => f.split(path.sep)[2] === '1.0')).toBe(
      true,
    );
  });

  it('refuses a version it does not know (exit 2)', async () => {
    const io = captureIO();
    expect(await main(args(path.join(dir, 'l4'), '3'), io)).toBe(2);
    expect(io.stderr()).toContain('--version must be 1, 2, both (got "3")');
  });
});

describe('lakeq dashboards serve | build', () => {
  it('build writes an index, a page per dashboard and the data of every dataset they read', async () => {
    const out = path.join(dir, 'site');
    const io = captureIO();
    expect(await main(['dashboards', 'build', '--out', out, '--data-dir', path.join(dir, 'data')], io)).toBe(
      0,
    );
    expect(io.stdout()).toContain(`files in ${out}`);
    const files = (await readdir(out, { recursive: true })).map(String);
    expect(files).toContain('index.html');
    const datasets = new Set(DASHBOARDS.flatMap((d) => Object.values(d.datasets)));
    for (const id of datasets) expect(files).toContain(path.join('data', `${id}.json`));
    expect(files.filter((f) => f.startsWith(`d${path.sep}`)).length).toBeGreaterThanOrEqual(
      DASHBOARDS.length,
    );
  });

  it('serve listens on 127.0.0.1, answers the index and a dataset, and stops when asked', async () => {
    const controller = new AbortController();
    const io = { ...captureIO(), signal: controller.signal };
    const running = main(['dashboards', 'serve', '--port', '0', '--data-dir', path.join(dir, 'data')], io);
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /Dashboards: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(io.stdout())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).toBeDefined();
    const index = await fetch(url as string);
    expect(index.status).toBe(200);
    const html = await index.text();
    for (const d of DASHBOARDS) expect(html).toContain(d.name);
    const data = await fetch(new URL('data/lakeq-glue-job-runs.json', url));
    expect(data.status).toBe(200);
    expect((await fetch(new URL('data/not-a-dataset.json', url))).status).toBe(404);
    controller.abort();
    expect(await running).toBe(0);
    await expect(fetch(url as string)).rejects.toThrow();
  });
});

describe('the README', () => {
  it('its lakeq.config.json example is valid settings', async () => {
    const { readFile: read, writeFile } = await import('node:fs/promises');
    const { loadSettings } = await import('../../src/config/lakeq-config.ts');
    const readme = await read(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const file = path.join(dir, 'lakeq.config.json');
    await writeFile(file, (block as string).replace(/^ {2}/gm, ''));
    const settings = await loadSettings({ configFile: file }, dir, {});
    expect(settings.sources.glue).toBe('/data/glue-api-captures');
    expect(settings.alarms.glueDailyCostUsd).toBe(100);
    expect(settings.pricing.glue.default.FLEX).toBe(0.29);
  });
});
