import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureIO } from '../support/capture-io.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';
import { contentDigests } from '../support/partition-contents.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
let source: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-cli-'));
  source = path.join(dir, 'trail');
  await writeRecordsInS3Layout(source, [
    ssoCall({
      time: '2026-11-02T10:00:00Z',
      eventName: 'CreateInstance',
      account: '111122223333',
      actorArn: ADMIN_ROLE_ARN,
    }),
    ssoCall({
      time: '2026-11-02T11:00:00Z',
      eventName: 'DeleteInstance',
      account: '111122223333',
      actorArn: ADMIN_ROLE_ARN,
    }),
    ssoCall({
      time: '2026-11-03T11:00:00Z',
      eventName: 'CreateInstance',
      account: '111122223333',
      actorArn: ADMIN_ROLE_ARN,
    }),
  ]);
  // Named queries read the curated tables: load them the way a user would.
  const io = captureIO();
  const args = [
    'load',
    '--from',
    '2026-11-01',
    '--to',
    '2026-11-08',
    '--source',
    `cloudtrail=${source}`,
    '--data-dir',
    dir,
  ];
  expect(await main(args, io)).toBe(0);
  // 3 events in 3 hours (3 churn rows); a file may hold events of the 3 hours before its delivery: 9 hours × 2 tables.
  expect(io.stdout()).toMatch(
    /^backfill-\S+ SUCCEEDED: 18 partitions loaded, 0 unchanged, 0 failed; 6 rows, .*; 0 source files skipped; 2 datasets refreshed$/m,
  );
  const again = captureIO();
  expect(await main(args, again)).toBe(0);
  // Nothing changed: nothing loaded, and no SPICE refresh.
  expect(again.stdout()).toMatch(
    / SUCCEEDED: 0 partitions loaded, 18 unchanged, 0 failed; .*; 0 datasets refreshed$/m,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const churnArgs = (...extra: string[]) => [
  'query',
  'run',
  'identity-center/instance-churn',
  '--param',
  'from=2026-11-01',
  '--param',
  'to=2026-11-08',
  '--source',
  `cloudtrail=${source}`,
  '--data-dir',
  dir,
  ...extra,
];

describe('lakeq query run', () => {
  it('prints CSV when piped, with exactly the contract columns', async () => {
    const io = captureIO();
    expect(await main(churnArgs(), io)).toBe(0);
    expect(io.stdout()).toBe(
      'day,account_id,region,created,deleted,net,actors\n' +
        `2026-11-02,111122223333,us-east-1,1,1,0,${ADMIN_ROLE_ARN}\n` +
        `2026-11-03,111122223333,us-east-1,1,0,1,${ADMIN_ROLE_ARN}\n`,
    );
  });

  it('json, ndjson and a capped table on a terminal', async () => {
    const json = captureIO();
    expect(await main(churnArgs('--format', 'json'), json)).toBe(0);
    expect(JSON.parse(json.stdout())).toEqual([
      {
        day: '2026-11-02',
        account_id: '111122223333',
        region: 'us-east-1',
        created: 1,
        deleted: 1,
        net: 0,
        actors: ADMIN_ROLE_ARN,
      },
      {
        day: '2026-11-03',
        account_id: '111122223333',
        region: 'us-east-1',
        created: 1,
        deleted: 0,
        net: 1,
        actors: ADMIN_ROLE_ARN,
      },
    ]);
    const nd = captureIO();
    expect(await main(churnArgs('--format', 'ndjson'), nd)).toBe(0);
    expect(
      nd
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).net),
    ).toEqual([0, 1]);
    const tty = captureIO({ isTTY: true, columns: 200 });
    expect(await main(churnArgs('--max-rows', '1'), tty)).toBe(0);
    expect(tty.stdout()).toMatch(/^day +\| account_id/);
    expect(tty.stdout()).toContain('… 1 more rows (2 in all)');
    expect(tty.stderr()).toMatch(/identity-center\/instance-churn@1\.0\.0: 2 rows in \d+ ms/);
  });

  it('writes Parquet and CSV files with --out', async () => {
    const parquet = path.join(dir, 'churn.parquet');
    expect(await main(churnArgs('--format', 'parquet', '--out', parquet), captureIO())).toBe(0);
    const io = captureIO();
    expect(
      await main(
        // A file outside the data folder: lakeq sql reads it only when told to (--unsafe).
        [
          'sql',
          `select day, net from read_parquet('${parquet}') order by day`,
          '--format',
          'json',
          '--unsafe',
        ],
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(io.stdout())).toEqual([
      { day: '2026-11-02', net: 0 },
      { day: '2026-11-03', net: 1 },
    ]);
    const csv = path.join(dir, 'churn.csv');
    expect(await main(churnArgs('--format', 'csv', '--out', csv), captureIO())).toBe(0);
    expect((await readFile(csv, 'utf8')).split('\n')[0]).toBe(
      'day,account_id,region,created,deleted,net,actors',
    );
  });

  it('a bad parameter is a usage error (exit 2) naming the parameter', async () => {
    const io = captureIO();
    expect(
      await main(
        [
          'query',
          'run',
          'identity-center/instance-churn',
          '--param',
          'from=2026-13-01',
          '--param',
          'to=2026-11-08',
        ],
        io,
      ),
    ).toBe(2);
    expect(io.stderr()).toMatch(/from: "2026-13-01" is not a date/);
    const missing = captureIO();
    expect(await main(['query', 'run', 'identity-center/instance-churn'], missing)).toBe(2);
    expect(missing.stderr()).toMatch(/from: .*to: /s);
  });

  it('an unknown query id is a usage error with the nearest ids', async () => {
    const io = captureIO();
    expect(await main(['query', 'run', 'instance-churn'], io)).toBe(2);
    expect(io.stderr()).toContain('did you mean "identity-center/instance-churn"');
  });

  it('unknown options, engines and formats are usage errors', async () => {
    expect(await main([...churnArgs(), '--frmat', 'csv'], captureIO())).toBe(2);
    expect(await main(churnArgs('--engine', 'bigquery'), captureIO())).toBe(2);
    expect(await main(churnArgs('--format', 'xml'), captureIO())).toBe(2);
    expect(await main(['nonsense'], captureIO())).toBe(2);
  });

  it('a runtime failure exits 1 with the engine reason', async () => {
    const io = captureIO();
    expect(await main(['sql', 'select * from no_such_table', '--data-dir', dir], io)).toBe(1);
    expect(io.stderr()).toMatch(/duckdb query failed: .*no_such_table/);
  });

  it('warns about a bad source file on stderr and still answers', async () => {
    const bad = path.join(dir, 'trail-with-bad');
    const [file] = await writeRecordsInS3Layout(bad, [
      ssoCall({
        time: '2026-11-02T10:00:00Z',
        eventName: 'CreateInstance',
        account: '111122223333',
        actorArn: ADMIN_ROLE_ARN,
      }),
    ]);
    await writeFile(path.join(path.dirname(file!), 'broken.json.gz'), 'not gzip');
    const io = captureIO();
    expect(
      await main(
        ['sql', 'select count(*) as n from cloudtrail_events_raw', '--source', `cloudtrail=${bad}`],
        io,
      ),
    ).toBe(0);
    expect(io.stdout()).toBe('n\n1\n');
    expect(io.stderr()).toMatch(/warning: skipped .*broken\.json\.gz: not gzip-compressed/);
  });
});

describe('lakeq query list | show | explain', () => {
  it('lists every query with id, version and title', async () => {
    const io = captureIO();
    expect(await main(['query', 'list', '--format', 'json'], io)).toBe(0);
    const list = JSON.parse(io.stdout()) as { id: string; version: string; title: string }[];
    expect(list.map((q) => q.id)).toContain('identity-center/instance-churn');
    expect(list.every((q) => /^\d+\.\d+\.\d+$/.test(q.version) && q.title.length > 0)).toBe(true);
  });

  it('shows parameters and the SQL for each engine', async () => {
    const io = captureIO();
    expect(await main(['query', 'show', 'identity-center/instance-churn', '--data-dir', dir], io)).toBe(0);
    expect(io.stdout()).toMatch(/from\s+required/);
    expect(io.stdout()).toMatch(/account\s+optional/);
    expect(io.stdout()).toContain('from "cloudtrail_events"');
    const lake = captureIO();
    expect(
      await main(
        [
          'query',
          'show',
          'identity-center/instance-churn',
          '--engine',
          'cloudtrail-lake',
          '--param',
          'from=2026-11-02',
          '--param',
          'to=2026-11-03',
        ],
        lake,
      ),
    ).toBe(0);
    expect(lake.stdout()).toContain('"EVENT_DATA_STORE_ID"');
    expect(lake.stdout()).toContain("TIMESTAMP '2026-11-02 00:00:00.000'");
  });

  it('explains a query on the local engine', async () => {
    const io = captureIO();
    expect(await main([...churnArgs().map((a) => (a === 'run' ? 'explain' : a))], io)).toBe(0);
    expect(io.stdout()).toMatch(/READ_PARQUET|read_parquet/i);
  });
});

describe('lakeq backfill, runs and sample', () => {
  it('backfill --dry-run prints the plan and writes nothing', async () => {
    const io = captureIO();
    const args = ['backfill', '--from', '2026-11-01', '--to', '2026-11-08', '--dry-run', '--force'];
    expect(await main([...args, '--source', `cloudtrail=${source}`, '--data-dir', dir], io)).toBe(0);
    expect(io.stdout()).toMatch(/^plan \S+: 18 partitions in \d+ batches; 0 unchanged/);
    expect(io.stdout()).toMatch(
      /cloudtrail_events +2026-11-02T\d\d → 2026-11-0\dT\d\d +\d+ partitions \(\d+ forced\)/,
    );
    const runs = captureIO();
    expect(await main(['runs', '--data-dir', dir, '--format', 'json'], runs)).toBe(0);
    // only the loads of beforeAll: the dry run recorded nothing
    expect(new Set((JSON.parse(runs.stdout()) as { run: string }[]).map((r) => r.run)).size).toBe(2);
  });

  it('backfill --concurrency writes the same partitions as a one-at-a-time load', async () => {
    const parallel = path.join(dir, 'parallel');
    const io = captureIO();
    const args = [
      'backfill',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-08',
      '--concurrency',
      '3',
      '--batch-hours',
      '1',
    ];
    expect(await main([...args, '--source', `cloudtrail=${source}`, '--data-dir', parallel], io)).toBe(0);
    expect(io.stdout()).toMatch(/SUCCEEDED: 18 partitions loaded, 0 unchanged, 0 failed; 6 rows/);
    // The same rows in every partition (a parallel write need not order them the same).
    const files = (root: string) => contentDigests(path.join(root, 'curated'));
    const sequential = await files(dir);
    expect(sequential.size).toBeGreaterThan(0);
    expect(await files(parallel)).toEqual(sequential);
  });

  it('runs lists the ledger, newest first, filtered by table', async () => {
    const io = captureIO();
    expect(
      await main(
        ['runs', '--table', 'identity_center_instance_churn_hourly', '--data-dir', dir, '--format', 'json'],
        io,
      ),
    ).toBe(0);
    const rows = JSON.parse(io.stdout()) as {
      table: string;
      status: string;
      query: string;
      finished: string;
    }[];
    expect(rows.length).toBe(18);
    expect(rows.every((r) => r.table === 'identity_center_instance_churn_hourly')).toBe(true);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['loaded', 'skipped']));
    expect(rows[0]!.query).toBe('transforms/identity-center-instance-churn-hour@1.0.0');
    const failed = captureIO();
    expect(await main(['runs', '--failed', '--data-dir', dir, '--format', 'json'], failed)).toBe(0);
    expect(JSON.parse(failed.stdout())).toEqual([]);
  });

  it('sample cloudtrail writes a deterministic estate in the S3 layout', async () => {
    const out = path.join(dir, 'sample');
    const io = captureIO();
    const args = [
      'sample',
      'cloudtrail',
      '--out',
      out,
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-01T03',
      '--accounts',
      '2',
      '--seed',
      '7',
    ];
    expect(await main(args, io)).toBe(0);
    expect(io.stdout()).toMatch(/^wrote \d+ events in \d+ files to .*sample \(2 accounts, /);
    const again = captureIO();
    expect(await main(args, again)).toBe(0);
    expect(again.stdout()).toBe(io.stdout());
    expect(
      await main(['sample', 'cloudtrail', '--out', out, '--from', 'soon', '--to', '2026-11-02'], captureIO()),
    ).toBe(2);
  });
});

describe('lakeq ddl', () => {
  it('prints the Athena DDL of the raw table, its view and every curated table', async () => {
    const io = captureIO();
    const args = [
      'ddl',
      '--trail-bucket',
      'my-trail',
      '--accounts',
      '111122223333',
      '--regions',
      'us-east-1,eu-west-1',
    ];
    expect(await main([...args, '--start-date', '2026-01-01', '--data-bucket', 'my-lake'], io)).toBe(0);
    const out = io.stdout();
    expect(out).toContain('CREATE EXTERNAL TABLE `cloudtrail_logs`');
    expect(out).toContain("'projection.enabled'");
    expect(out).toMatch(/CREATE OR REPLACE VIEW "?cloudtrail_events_raw"?/);
    expect(out).toMatch(/CREATE EXTERNAL TABLE `lakeq`.`cloudtrail_events`/);
    expect(out).toMatch(/CREATE EXTERNAL TABLE `lakeq`.`identity_center_instance_churn_hourly`/);
    expect(out).toContain('`lakeq`.`lakeq_runs`');
    // The Glue collector's raw tables over the data bucket, projected from the start date.
    expect(out).toMatch(/CREATE EXTERNAL TABLE `lakeq`.`glue_job_runs_collected`/);
    expect(out).toContain("LOCATION 's3://my-lake/raw/glue/job-metrics/'");
    expect(out).toContain("'projection.dt.range'='2026-01-01,NOW'");
    expect(out).toMatch(/CREATE EXTERNAL TABLE `lakeq`.`glue_job_runs`/);
    // The Identity Center collector's snapshot tables, hour 00 only.
    expect(out).toMatch(/CREATE EXTERNAL TABLE `lakeq`.`identity_center_users_collected`/);
    expect(out).toContain("LOCATION 's3://my-lake/raw/identity-center/users/'");
    expect(out).toContain("'projection.hour.values'='00'");
    // cloudtrail_logs, its view, 2 collected Glue tables, 4 collected Identity Center tables,
    // the 24 TPC-DS tables and tpcds_cbo_runs, the 7 OCSF views (over no Security Lake table: no
    // --security-lake-* flags), 10 curated tables, the ledger.
    expect(out.match(/^CREATE /gm)?.length).toBe(51);
    expect(out).toMatch(/CREATE EXTERNAL TABLE `lakeq`.`store_sales` \(/);
    expect(out).toContain("'projection.ss_sold_date_sk.type'='integer'");
    const missing = captureIO();
    expect(await main(args, missing)).toBe(2);
    expect(missing.stderr()).toContain('--start-date');
  });
});

describe('lakeq as a process', () => {
  it('--help prints the commands; exit codes reach the shell', async () => {
    const help = await run(process.execPath, [path.join(ROOT, 'bin/lakeq.js'), '--help']);
    expect(help.stdout).toContain('query run <id>');
    await expect(
      run(process.execPath, [path.join(ROOT, 'bin/lakeq.js'), 'query', 'run', 'nope']),
    ).rejects.toMatchObject({
      code: 2,
    });
  });

  it('the entry point loads no heavy module before a command needs it', () => {
    // Follow the static (non-type) imports from the entry: DuckDB, the AWS SDK, zod and kysely must not be among them.
    const seen = new Set<string>();
    const heavy: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // Static imports, and the entry's own top-level dynamic import of the CLI.
      const imports = [...text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)];
      if (file.endsWith('lakeq.js'))
        imports.push(...text.matchAll(/^const .* = await import\('([^']+)'\);$/gm));
      for (const m of imports) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
        else if (!spec.startsWith('node:')) heavy.push(`${path.relative(ROOT, file)} → ${spec}`);
      }
    };
    visit(path.join(ROOT, 'bin/lakeq.js'));
    expect(heavy).toEqual([]);
    expect(seen.size).toBeGreaterThan(2);
  });
});
