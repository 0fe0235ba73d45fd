import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { appendLedger, readLedger } from '../../src/ingest/ledger.ts';
import { awsHandlerContext } from '../../src/orchestration/aws/aws-handler-context.ts';
import { localHandlerContext } from '../../src/orchestration/handlers/handler-context.ts';
import { REPORT_MARKS_KEY, writeReports } from '../../src/orchestration/handlers/write-reports.ts';
import { runStateMachine } from '../../src/orchestration/run-state-machine.ts';
import { loadQuery } from '../../src/query/registry.ts';
import { runQuery } from '../../src/query/run-query.ts';
import { writeCloudTrailSample } from '../../src/sources/cloudtrail/sample.ts';
import { writeIdentityCenterSample } from '../../src/sources/identity-center/sample.ts';
import { expectValidCommands } from '../support/aws-model-validator.ts';
import { fakeS3, s3Mock } from './fake-s3.ts';

/*
 * The state machines' WriteReports step: after a run that loaded a new Identity Center snapshot,
 * the blog post's three CSV files are written under reports/identity-center/dt=<day>/ of the data
 * folder (locally) or of the data bucket (on AWS); a run that changed none of the report's tables
 * leaves them alone, and a report that failed is written by the next run.
 */

const FROM = '2026-11-01T00:00:00Z';
const TO = '2026-11-02T00:00:00Z';
const FILES = ['application-assignments.csv', 'duplicate-users.csv', 'instances.csv'];

let root: string;
let dataDir: string;
let options: Parameters<typeof runStateMachine>[2];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-write-reports-'));
  dataDir = path.join(root, 'lakeq-data');
  const trail = path.join(dataDir, 'raw', 'cloudtrail');
  const captured = path.join(dataDir, 'raw', 'identity-center-api');
  const window = { from: new Date(FROM), to: new Date(TO), seed: 3 };
  await Promise.all([
    writeCloudTrailSample({ out: trail, ...window }),
    writeIdentityCenterSample({ out: captured, ...window }),
  ]);
  options = { dataDir, sources: { cloudtrail: trail, 'identity-center': captured } };
}, 120_000);
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The CSV rows (without the header) of a query run on the local tables. */
async function queryCsvRows(queryId: string): Promise<number> {
  const engine = await openLocalEngine({ sources: {}, roots: {}, dataDir });
  try {
    return (await runQuery(engine, await loadQuery(queryId), {})).rows.length;
  } finally {
    await engine.close();
  }
}

const lines = (text: string) => text.trimEnd().split('\n').length;

describe('WriteReports after a local run', () => {
  it('writes the Identity Center report of the loaded snapshot once, and again only when its tables change', async () => {
    const first = await runStateMachine(
      'backfill',
      { from: FROM, to: TO },
      { ...options, now: new Date('2026-11-02T00:30:00Z') },
    );
    expect(first.status).toBe('SUCCEEDED');
    const reports = path.join(dataDir, 'reports', 'identity-center');
    const days = await readdir(reports);
    expect(days).toHaveLength(1);
    const day = days[0] ?? '';
    expect(day).toMatch(/^dt=\d{4}-\d{2}-\d{2}$/);
    const folder = path.join(reports, day);
    expect((await readdir(folder)).sort()).toEqual(FILES);
    // Each file is the library query's rows with a header line.
    const instances = await readFile(path.join(folder, 'instances.csv'), 'utf8');
    expect(instances.split('\n')[0]).toMatch(/^account_id,identity_store_id,instance_arn,/);
    expect(lines(instances) - 1).toBe(await queryCsvRows('identity-center/instances'));
    expect(lines(await readFile(path.join(folder, 'duplicate-users.csv'), 'utf8')) - 1).toBe(
      await queryCsvRows('identity-center/duplicate-users'),
    );
    const mark = JSON.parse(await readFile(path.join(dataDir, ...REPORT_MARKS_KEY.split('/')), 'utf8'));
    expect(mark['identity-center'].day).toBe(day.slice(3));
    expect(mark['identity-center'].ledgerRows).toBe((await readLedger(dataDir)).rows.length);

    // Nothing changed: the files stay as they are, and the step says why.
    const before = (await stat(path.join(folder, 'instances.csv'))).mtimeMs;
    const context = localHandlerContext({ ...options, now: new Date('2026-11-02T01:30:00Z') });
    expect(await writeReports({}, context)).toEqual({
      reports: [{ id: 'identity-center', written: false, reason: 'its tables did not change' }],
    });
    expect((await stat(path.join(folder, 'instances.csv'))).mtimeMs).toBe(before);
  });

  it('a report that fails does not fail the run and keeps its mark; the next run writes it', async () => {
    const context = localHandlerContext({ ...options, now: new Date('2026-11-02T02:30:00Z') });
    // The snapshot table changes (a newer load of its partition): the report is due again.
    const { rows } = await readLedger(dataDir);
    const last = rows.findLast((r) => r.table === 'identity_center_instances' && r.status === 'loaded');
    expect(last).toBeDefined();
    await appendLedger(dataDir, [
      { ...(last as NonNullable<typeof last>), runId: 'r-later', fingerprint: 'changed', rows: 1 },
    ]);
    const marks = path.join(dataDir, ...REPORT_MARKS_KEY.split('/'));
    const markBefore = await readFile(marks, 'utf8');
    const failing = await runStateMachine(
      'backfill',
      { from: FROM, to: TO },
      {
        ...options,
        now: new Date('2026-11-02T02:30:00Z'),
        faults: [{ state: 'WriteReports', error: 'Lambda.Unknown', cause: 'engine down' }],
      },
    );
    expect(failing.status).toBe('SUCCEEDED');
    expect(failing.attempts.WriteReports).toBeGreaterThan(0);
    expect(await readFile(marks, 'utf8')).toBe(markBefore);
    await expect(
      writeReports({}, { ...context, reportEngine: () => Promise.reject(new Error('engine down')) }),
    ).rejects.toThrow('engine down');
    expect(await readFile(marks, 'utf8')).toBe(markBefore);
    const written = await writeReports({}, context);
    expect(written.reports[0]).toMatchObject({ id: 'identity-center', written: true });
  });
});

describe('WriteReports on AWS', () => {
  it('puts the files under reports/ of the data prefix, each request valid for the S3 model', async () => {
    const fake = fakeS3();
    const client = () => new S3Client({ region: 'us-east-1' });
    const context = awsHandlerContext({
      target: { bucket: 'lake', prefix: 'lakeq', database: 'lakeq', workGroup: 'lakeq' },
      roots: {},
      accountId: '111122223333',
      now: new Date('2026-11-02T03:30:00Z'),
      clients: { s3: client },
    });
    expect(context.reportEngine).toBeDefined();
    // The ledger the AWS loads wrote, in S3; the engine over the tables they loaded.
    await appendLedger(context.store, (await readLedger(dataDir)).rows);
    const result = await writeReports(
      {},
      { ...context, reportEngine: () => openLocalEngine({ sources: {}, roots: {}, dataDir }) },
    );
    const outcome = result.reports[0];
    expect(outcome).toMatchObject({ id: 'identity-center', written: true });
    const day = outcome?.written ? outcome.day : '';
    expect(fake.keys('lake', 'lakeq/reports/').sort()).toEqual(
      FILES.map((f) => `lakeq/reports/identity-center/dt=${day}/${f}`),
    );
    expect(outcome?.written ? outcome.files.map((f) => f.location).sort() : []).toEqual(
      FILES.map((f) => `s3://lake/lakeq/reports/identity-center/dt=${day}/${f}`),
    );
    expect(fake.keys('lake', REPORT_MARKS_KEY.replace(/^/, 'lakeq/'))).toHaveLength(1);
    expect(
      expectValidCommands(
        's3',
        s3Mock.calls().map((c) => c.args[0]),
      ),
    ).toBeGreaterThan(3);
  });
});
