import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { substitutePlaceholders } from '../../src/deploy/placeholders.ts';
import { type AslMachine, type Json, readDefinitionText } from '../../src/orchestration/asl-definition.ts';
import { localHandlerContext } from '../../src/orchestration/handlers/handler-context.ts';
import { localIntegrations } from '../../src/orchestration/local-integrations.ts';
import { type Integrations, runLocally } from '../../src/orchestration/local-runner.ts';
import { getLocalPartitions } from '../../src/orchestration/local-services/local-glue.ts';
import { LOCAL_PLACEHOLDERS } from '../../src/orchestration/run-state-machine.ts';
import { expectValidRequest } from '../support/aws-model-validator.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';

/** The AWS operation behind each service integration the state machines use. */
const OPERATIONS: Record<string, [string, string]> = {
  'athena:startQueryExecution.sync': ['athena', 'StartQueryExecution'],
  'aws-sdk:glue:batchCreatePartition': ['glue', 'BatchCreatePartition'],
  'aws-sdk:glue:batchUpdatePartition': ['glue', 'BatchUpdatePartition'],
  'aws-sdk:quicksight:createIngestion': ['quicksight', 'CreateIngestion'],
  'aws-sdk:quicksight:describeIngestion': ['quicksight', 'DescribeIngestion'],
};

let root: string;
const calls: { key: string; input: Json }[] = [];
const outputs: { key: string; output: Json }[] = [];

/** Runs the hourly machine for one hour with every service call recorded. */
async function runHourly(dataDir: string, trail: string, executionName: string, input: Json) {
  const definition = JSON.parse(
    substitutePlaceholders(await readDefinitionText('hourly'), LOCAL_PLACEHOLDERS),
  ) as AslMachine;
  const local = localIntegrations(
    localHandlerContext({
      dataDir,
      sources: { cloudtrail: trail },
      now: new Date('2026-11-21T00:00:00Z'),
      maxPartitionsPerBatch: 24,
    }),
  );
  const recorded: Record<string, Integrations[string]> = {};
  for (const [key, handler] of Object.entries(local)) {
    recorded[key] = async (callInput, call) => {
      if (key in OPERATIONS) calls.push({ key, input: callInput });
      const output = await handler(callInput, call);
      outputs.push({ key, output });
      return output;
    };
  }
  return runLocally(definition, { input, integrations: recorded, executionName, stateMachineName: 'hourly' });
}

let first: Awaited<ReturnType<typeof runHourly>>;
let second: Awaited<ReturnType<typeof runHourly>>;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-sfn-requests-'));
  const trail = path.join(root, 'trail');
  dataDir = path.join(root, 'data');
  await writeRecordsInS3Layout(trail, [
    ssoCall({
      time: '2026-11-20T12:15:00Z',
      eventName: 'CreateInstance',
      account: '111122223333',
      actorArn: ADMIN_ROLE_ARN,
    }),
    ssoCall({
      time: '2026-11-20T13:15:00Z',
      eventName: 'DeleteInstance',
      account: '111122223333',
      actorArn: ADMIN_ROLE_ARN,
    }),
  ]);
  first = await runHourly(dataDir, trail, 'hourly-2026-11-20T13', { time: '2026-11-20T14:05:00Z' });
  // The same hours again, forced: registered partitions are switched (updated), not created.
  second = await runHourly(dataDir, trail, 'hourly-2026-11-20T13-again', {
    time: '2026-11-20T14:05:00Z',
    force: true,
  });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('what the state machines send to AWS', () => {
  it('sends every kind of request, each one valid for the service API model', () => {
    expect(first.status).toBe('SUCCEEDED');
    expect(second.status).toBe('SUCCEEDED');
    expect(new Set(calls.map((c) => c.key))).toEqual(new Set(Object.keys(OPERATIONS)));
    for (const { key, input } of calls) {
      const [service, operation] = OPERATIONS[key] ?? ['', ''];
      expectValidRequest(service, operation, input);
    }
  });

  it('creates partitions on the first load of an hour and updates them on a reload', async () => {
    const creates = calls.filter((c) => c.key === 'aws-sdk:glue:batchCreatePartition');
    const updates = calls.filter((c) => c.key === 'aws-sdk:glue:batchUpdatePartition');
    expect(creates).toHaveLength(2);
    expect(updates).toHaveLength(2);
    for (const o of outputs.filter((x) => x.key.startsWith('aws-sdk:glue')))
      expect(o.output).toEqual({ Errors: [] });
    const partitions = await getLocalPartitions(dataDir, 'cloudtrail_events');
    const locations = partitions.map((p) => p.StorageDescriptor?.Location ?? '');
    const updated = updates[0]?.input as {
      Entries: { PartitionInput: { StorageDescriptor: { Location: string } } }[];
    };
    expect(locations).toEqual(updated.Entries.map((e) => e.PartitionInput.StorageDescriptor.Location));
  });

  it('runs UNLOAD statements that write to a fresh prefix per run and batch', () => {
    const unloads = calls
      .filter((c) => c.key === 'athena:startQueryExecution.sync')
      .map((c) => (c.input as { QueryString: string }).QueryString);
    expect(unloads).toHaveLength(4);
    for (const sql of unloads) {
      expect(sql).toMatch(/^-- lakeq:transforms\/\S+@\S+ run=\S+ batch=\d+\nUNLOAD \(/);
      expect(sql).toMatch(/TO 's3:\/\/lakeq-local\/lakeq\/curated\/[a-z_]+\/run=[\w-]+-b\d+\/batch=0\/'/);
    }
    expect(new Set(unloads.map((s) => /TO '([^']+)'/.exec(s)?.[1])).size).toBe(4);
  });
});
