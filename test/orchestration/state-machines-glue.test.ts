import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { readLedger } from '../../src/ingest/ledger.ts';
import { latestSnapshot } from '../../src/orchestration/local-spice.ts';
import { runStateMachine } from '../../src/orchestration/run-state-machine.ts';
import { DEFAULT_GLUE_PRICES } from '../../src/sources/glue/collect/prices.ts';
import { writeGlueSample } from '../../src/sources/glue/sample.ts';

/*
 * The Glue source end to end through the same state machines as CloudTrail: the collect task
 * reads captured API responses (as `lakeq sample glue` or the AWS CLI writes them) into hour
 * files, the planner loads the hours that changed, SPICE snapshots follow, alarms are evaluated.
 */

const FROM = '2026-11-01T00:00:00Z';
const TO = '2026-11-03T00:00:00Z';

interface CapturedRun {
  Id: string;
  JobName: string;
  JobRunState: string;
  StartedOn: string;
  CompletedOn?: string;
  LastModifiedOn?: string;
  ExecutionTime?: number;
}

let root: string;
let captured: string;
let trail: string;
let dataDir: string;

/** The CloudTrail folder and the Glue collector's captured responses, with the default prices. */
const glue = () => ({
  sources: { cloudtrail: trail, glue: captured },
  pricing: { glue: DEFAULT_GLUE_PRICES },
});

async function capturedRuns(): Promise<CapturedRun[]> {
  const files = (await readdir(path.join(captured, 'job-runs'), { recursive: true }))
    .map(String)
    .filter((f) => f.endsWith('.json'));
  const out: CapturedRun[] = [];
  for (const f of files) {
    const page = JSON.parse(await readFile(path.join(captured, 'job-runs', f), 'utf8')) as {
      JobRuns: CapturedRun[];
    };
    out.push(...page.JobRuns);
  }
  return out;
}

async function rows<T>(sql: string): Promise<T[]> {
  const engine = await openLocalEngine({ sources: { cloudtrail: trail }, dataDir }, { raw: false });
  try {
    return (await engine.execute<T>(CompiledQuery.raw(sql))).rows as T[];
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-sfn-glue-'));
  captured = path.join(root, 'glue-api');
  trail = path.join(root, 'trail');
  dataDir = path.join(root, 'data');
  await mkdir(trail, { recursive: true });
  await writeGlueSample({ out: captured, from: new Date(FROM), to: new Date(TO), seed: 5 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the state machines load the Glue tables from captured API responses', () => {
  it('a backfill collects, loads every run attempt of the window once, and refreshes the Glue and ledger snapshots', async () => {
    const run = await runStateMachine(
      'backfill',
      { from: FROM, to: TO },
      { dataDir, now: new Date('2026-11-03T00:30:00Z'), ...glue() },
    );
    expect(run.status).toBe('SUCCEEDED');
    // Independent of the collector: the distinct run ids of the captured pages started in the window.
    const expected = new Set(
      (await capturedRuns())
        .filter(
          (r) => Date.parse(r.StartedOn) >= Date.parse(FROM) && Date.parse(r.StartedOn) < Date.parse(TO),
        )
        .map((r) => r.Id),
    );
    expect(expected.size).toBeGreaterThan(50);
    const loaded = await rows<{ n: bigint | number; ids: bigint | number }>(
      'SELECT count(*) AS n, count(DISTINCT job_run_id) AS ids FROM glue_job_runs',
    );
    expect(Number(loaded[0]?.n)).toBe(expected.size);
    expect(Number(loaded[0]?.ids)).toBe(expected.size);
    // Captured responses name no account; the jobs' IAM roles do (the sample's default account).
    const accounts = await rows<{ account_id: string | null }>(
      'SELECT DISTINCT account_id FROM glue_job_runs UNION SELECT DISTINCT account_id FROM glue_job_metrics',
    );
    expect(accounts).toEqual([{ account_id: '111122223333' }]);
    const metrics = await rows<{ n: bigint | number }>('SELECT count(*) AS n FROM glue_job_metrics');
    expect(Number(metrics[0]?.n)).toBeGreaterThan(0);

    const glueRows = run.ledgerRows.filter((r) => r.table === 'glue_job_runs' && r.status === 'loaded');
    expect(glueRows.reduce((n, r) => n + r.rows, 0)).toBe(expected.size);
    expect(run.refreshedDatasets).toEqual(
      expect.arrayContaining(['lakeq-glue-job-runs', 'lakeq-glue-job-metrics', 'lakeq-pipeline-runs']),
    );
    const snapshot = await latestSnapshot(dataDir, 'lakeq-glue-job-runs');
    expect(snapshot?.ingestion.RowInfo?.RowsIngested).toBe(expected.size);
  });

  it('a second backfill with nothing new rewrites no collected file and loads no Glue partition', async () => {
    const file = (await readdir(path.join(dataDir, 'raw', 'glue', 'job-runs'), { recursive: true }))
      .map(String)
      .find((f) => f.endsWith('job-runs.json')) as string;
    const before = await stat(path.join(dataDir, 'raw', 'glue', 'job-runs', file));
    const run = await runStateMachine(
      'backfill',
      { from: FROM, to: TO },
      {
        dataDir,
        now: new Date('2026-11-03T00:40:00Z'),
        executionName: 'backfill-again',
        ...glue(),
      },
    );
    expect(run.status).toBe('SUCCEEDED');
    const glueRows = run.ledgerRows.filter((r) => r.table.startsWith('glue_'));
    expect(glueRows.length).toBeGreaterThan(0);
    expect(glueRows.every((r) => r.status === 'skipped')).toBe(true);
    const after = await stat(path.join(dataDir, 'raw', 'glue', 'job-runs', file));
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('a run seen running by one hourly run and finished before the next ends as one row, in its start hour', async () => {
    const template = (await capturedRuns()).find(
      (r) => r.JobRunState === 'SUCCEEDED' && !r.JobName.includes('stream'),
    );
    expect(template).toBeDefined();
    const running: CapturedRun = {
      ...(template as CapturedRun),
      Id: 'jr_lakeq_test_late_finisher',
      JobRunState: 'RUNNING',
      StartedOn: '2026-11-02T20:10:00.000000+00:00',
      LastModifiedOn: '2026-11-02T20:10:05.000000+00:00',
      ExecutionTime: 0,
    };
    delete running.CompletedOn;
    await writeFile(path.join(captured, 'job-runs', 'late-1.json'), JSON.stringify({ JobRuns: [running] }));
    const first = await runStateMachine(
      'hourly',
      { time: '2026-11-02T21:05:00Z' },
      { dataDir, now: new Date('2026-11-02T21:05:00Z'), ...glue() },
    );
    expect(first.status).toBe('SUCCEEDED');
    const before = await rows<{ job_run_state: string }>(
      `SELECT job_run_state FROM glue_job_runs WHERE job_run_id = '${running.Id}'`,
    );
    expect(before).toEqual([{ job_run_state: 'RUNNING' }]);

    // The AWS CLI's next GetJobRuns page, captured after the run finished.
    const finished = {
      ...running,
      JobRunState: 'SUCCEEDED',
      CompletedOn: '2026-11-03T00:20:00.000000+00:00',
      LastModifiedOn: '2026-11-03T00:20:00.000000+00:00',
      ExecutionTime: Math.round((Date.parse('2026-11-03T00:20:00Z') - Date.parse(running.StartedOn)) / 1000),
    };
    await writeFile(path.join(captured, 'job-runs', 'late-2.json'), JSON.stringify({ JobRuns: [finished] }));

    const run = await runStateMachine(
      'hourly',
      { time: '2026-11-03T01:05:00Z' },
      { dataDir, now: new Date('2026-11-03T01:05:00Z'), ...glue(), alarms: true },
    );
    expect(run.status).toBe('SUCCEEDED');
    const after = await rows<{ job_run_state: string; completed_on: unknown }>(
      `SELECT job_run_state, CAST(completed_on AS VARCHAR) AS completed_on FROM glue_job_runs WHERE job_run_id = '${running.Id}'`,
    );
    // CAST(timestamp AS VARCHAR) prints as Trino does (timestamp(3)), on the local engine too.
    expect(after).toEqual([{ job_run_state: 'SUCCEEDED', completed_on: '2026-11-03 00:20:00.000' }]);
    // Its start hour (20:00) is outside this run's window (22:00 to 01:00): the collector reported it.
    const startHour = '2026-11-02/20';
    const reloaded = run.ledgerRows.filter((r) => r.table === 'glue_job_runs' && r.status === 'loaded');
    expect(reloaded.map((r) => `${r.dt}/${r.hour}`)).toContain(startHour);
    const total = await rows<{ n: bigint | number; ids: bigint | number }>(
      'SELECT count(*) AS n, count(DISTINCT job_run_id) AS ids FROM glue_job_runs',
    );
    expect(Number(total[0]?.n)).toBe(Number(total[0]?.ids));

    // The alarms were evaluated at the end of the hourly run.
    const state = JSON.parse(await readFile(path.join(dataDir, 'alarms', 'state.json'), 'utf8')) as object;
    expect(Object.keys(state).length).toBeGreaterThan(0);
    const { rows: ledger } = await readLedger(dataDir);
    expect(ledger.some((r) => r.runId === run.runId)).toBe(true);
  });

  it('a run that fails after loading the Glue tables leaves their datasets pending, and the next run refreshes them', async () => {
    const fresh = path.join(root, 'data-failed');
    const failed = await runStateMachine(
      'backfill',
      { from: FROM, to: '2026-11-01T06:00:00Z' },
      {
        dataDir: fresh,
        now: new Date('2026-11-03T00:30:00Z'),
        ...glue(),
        faults: [{ state: 'ChooseDatasets', error: 'States.TaskFailed', cause: 'injected after the loads' }],
      },
    );
    expect(failed.status).toBe('FAILED');
    expect(failed.ledgerRows.some((r) => r.table === 'glue_job_runs' && r.status === 'loaded')).toBe(true);
    expect(await latestSnapshot(fresh, 'lakeq-glue-job-runs')).toBeUndefined();
    const next = await runStateMachine(
      'backfill',
      { from: FROM, to: '2026-11-01T06:00:00Z' },
      {
        dataDir: fresh,
        now: new Date('2026-11-03T00:40:00Z'),
        executionName: 'backfill-retry',
        ...glue(),
      },
    );
    expect(next.status).toBe('SUCCEEDED');
    // Nothing changed since the failed run loaded them, yet their snapshots were owed.
    expect(
      next.ledgerRows.filter((r) => r.table.startsWith('glue_')).every((r) => r.status === 'skipped'),
    ).toBe(true);
    expect(next.refreshedDatasets).toEqual(
      expect.arrayContaining(['lakeq-glue-job-runs', 'lakeq-glue-job-metrics', 'lakeq-pipeline-runs']),
    );
    expect(
      (await latestSnapshot(fresh, 'lakeq-glue-job-runs'))?.ingestion.RowInfo?.RowsIngested,
    ).toBeGreaterThan(0);
  });
});
