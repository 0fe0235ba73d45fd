import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import cloudtrailEventsHour from '../../queries/transforms/cloudtrail-events-hour.ts';
import churnHour from '../../queries/transforms/identity-center-instance-churn-hour.ts';
import { glueTableInput } from '../../src/catalog/athena/glue-table-input.ts';
import type { TableDefinition } from '../../src/catalog/table-definition.ts';
import type { LakeqSettings } from '../../src/config/lakeq-config.ts';
import { compileTarget } from '../../src/engines/compile-targets.ts';
import { inlineParameters } from '../../src/engines/trino/trino-literals.ts';
import {
  isNonRetryable,
  type PartitionSwitchInput,
  type PartitionSwitchPlan,
  planPartitionSwitch,
  type RegisteredPartition,
} from '../../src/ingest/athena/partition-switch-plan.ts';
import { compileQuery } from '../../src/query/compile-query.ts';
import type { LibraryQuery } from '../../src/query/define-query.ts';
import { cloudtrailEvents } from '../../src/sources/cloudtrail/tables/cloudtrail-events.ts';
import { identityCenterInstanceChurnHourly } from '../../src/sources/cloudtrail/tables/identity-center-instance-churn-hourly.ts';
import { expectValidRequest } from '../support/aws-model-validator.ts';

const trino = new TrinoSQL();
const HOUR = 3_600_000;
const START = Date.parse('2026-11-01T00:00:00Z');
const TARGET = { bucket: 'lake-bucket', prefix: 'lakeq', database: 'lakeq', workGroup: 'lakeq-etl' };
const ROOT = 's3://lake-bucket/lakeq/curated/cloudtrail_events/';
const athena = compileTarget('athena', {
  aws: { athena: {}, cloudtrailLake: {} },
} as unknown as LakeqSettings);

const hours = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(START + (first + i) * HOUR));
const iso = (n: number) => new Date(START + n * HOUR).toISOString();

/** The library transform compiled for Athena with literals inline, recording each window asked for. */
function libraryTransform(query: LibraryQuery<never, unknown>, calls: [string, string][] = []) {
  return (from: Date, to: Date) => {
    calls.push([from.toISOString(), to.toISOString()]);
    const { compiled } = compileQuery(query, { from: from.toISOString(), to: to.toISOString() }, athena);
    return inlineParameters(compiled).sql;
  };
}

function plan(overrides: Partial<PartitionSwitchInput> = {}): PartitionSwitchPlan {
  return planPartitionSwitch({
    table: cloudtrailEvents,
    transform: libraryTransform(cloudtrailEventsHour as LibraryQuery<never, unknown>),
    hours: hours(0, 250),
    runId: 'run-a',
    target: TARGET,
    registered: [],
    ...overrides,
  });
}

/** A registered partition as GetPartitions returns it. */
const registeredAt = (n: number, location: string): RegisteredPartition => {
  const at = iso(n);
  return { Values: [at.slice(0, 10), at.slice(11, 13)], StorageDescriptor: { Location: location } };
};
const oldRun = (n: number) => {
  const at = iso(n);
  return registeredAt(n, `${ROOT}run=old/batch=0/dt=${at.slice(0, 10)}/hour=${at.slice(11, 13)}/`);
};

/** The SELECT inside `UNLOAD (...) TO`. */
const innerSelect = (unload: string) => /^UNLOAD \(\n([\s\S]*)\n\) TO '/.exec(unload)?.[1] ?? '';

describe('a 250-hour backfill', () => {
  const calls: [string, string][] = [];
  const p = plan({
    transform: libraryTransform(cloudtrailEventsHour as LibraryQuery<never, unknown>, calls),
  });

  it('is three batches of contiguous hours: 100, 100 and 50', () => {
    expect(p.batches.map((b) => b.partitions.length)).toEqual([100, 100, 50]);
    expect(p.batches.map((b) => [b.from, b.to])).toEqual([
      [iso(0), iso(100)],
      [iso(100), iso(200)],
      [iso(200), iso(250)],
    ]);
    expect(p.batches.flatMap((b) => b.partitions)).toEqual(
      hours(0, 250).map((h) => ({ dt: h.toISOString().slice(0, 10), hour: h.toISOString().slice(11, 13) })),
    );
  });

  it("asks the transform for exactly each batch's window and guards the same hours in the UNLOAD", () => {
    expect(calls).toEqual(p.batches.map((b) => [b.from, b.to]));
    const [, second] = p.batches;
    expect(second?.unload.QueryString).toContain(
      "WHERE concat(t.dt, ' ', t.hour) >= '2026-11-05 04' AND concat(t.dt, ' ', t.hour) < '2026-11-09 08'",
    );
    // The transform's own filter is [from, to) as typed timestamps.
    expect(second?.unload.QueryString).toContain(">= TIMESTAMP '2026-11-05 04:00:00.000'");
    expect(second?.unload.QueryString).toContain("< TIMESTAMP '2026-11-09 08:00:00.000'");
  });

  it('writes each batch with one UNLOAD to a fresh prefix, Parquet ZSTD, partitioned by dt and hour', () => {
    const [first] = p.batches;
    const transform = libraryTransform(cloudtrailEventsHour as LibraryQuery<never, unknown>)(
      new Date(START),
      new Date(START + 100 * HOUR),
    );
    expect(first?.outputPrefix).toBe(`${ROOT}run=run-a/batch=0/`);
    expect(first?.unload).toEqual({
      QueryString:
        `UNLOAD (\nSELECT * FROM (\n${transform.trim()}\n) t\n` +
        "WHERE concat(t.dt, ' ', t.hour) >= '2026-11-01 00' AND concat(t.dt, ' ', t.hour) < '2026-11-05 04'\n" +
        'ORDER BY t.eventTime, t.eventID\n' +
        `) TO '${ROOT}run=run-a/batch=0/' ` +
        "WITH (format = 'PARQUET', compression = 'ZSTD', partitioned_by = ARRAY['dt', 'hour'])",
      WorkGroup: 'lakeq-etl',
      QueryExecutionContext: { Database: 'lakeq' },
    });
  });

  it('is SQL a Trino grammar accepts (UNLOAD itself is Athena-only, so its SELECT is checked)', () => {
    for (const b of p.batches) {
      expect(trino.validate(b.unload.QueryString).length).toBeGreaterThan(0);
      expect(trino.validate(innerSelect(b.unload.QueryString))).toEqual([]);
    }
  });

  it('registers every hour, creating them all on an empty catalog, with nothing to clean', () => {
    for (const b of p.batches) {
      expect(b.updatePartitions).toBeNull();
      expect(b.cleanup).toEqual([]);
      expect(b.createPartitions?.PartitionInputList.map((x) => x.Values)).toEqual(
        b.partitions.map((x) => [x.dt, x.hour]),
      );
    }
    expect(p.retained).toEqual([]);
  });

  it('sends only requests the AWS models accept, never more than 100 partitions in one', () => {
    for (const b of p.batches) {
      expectValidRequest('athena', 'StartQueryExecution', b.unload);
      if (b.createPartitions) expectValidRequest('glue', 'BatchCreatePartition', b.createPartitions);
      expect(b.partitions.length).toBeLessThanOrEqual(100);
      expect(b.createPartitions?.PartitionInputList.length ?? 0).toBeLessThanOrEqual(100);
    }
    expect(JSON.parse(JSON.stringify(p))).toEqual(p); // plain data for a state machine
  });

  it('points each partition at its hour under the fresh prefix, stored like the table', () => {
    const table = glueTableInput(cloudtrailEvents, TARGET).StorageDescriptor;
    const input = p.batches[2]?.createPartitions?.PartitionInputList[49];
    expect(input).toEqual({
      Values: ['2026-11-11', '09'],
      StorageDescriptor: { ...table, Location: `${ROOT}run=run-a/batch=2/dt=2026-11-11/hour=09/` },
      Parameters: { 'lakeq.run_id': 'run-a' },
    });
  });
});

describe('a reload over registered partitions', () => {
  // Hours 50..149 were loaded by an earlier run; 0..49 and 150..249 are new.
  const registered = hours(50, 100).map((_, i) => oldRun(50 + i));
  const p = plan({ registered, runId: 'run-b' });

  it('creates the new hours and updates the registered ones, each call valid', () => {
    const counts = p.batches.map((b) => [
      b.createPartitions?.PartitionInputList.length ?? 0,
      b.updatePartitions?.Entries.length ?? 0,
    ]);
    expect(counts).toEqual([
      [50, 50],
      [50, 50],
      [50, 0],
    ]);
    for (const b of p.batches) {
      if (b.createPartitions) expectValidRequest('glue', 'BatchCreatePartition', b.createPartitions);
      if (b.updatePartitions) expectValidRequest('glue', 'BatchUpdatePartition', b.updatePartitions);
      for (const e of b.updatePartitions?.Entries ?? []) {
        expect(e.PartitionValueList).toEqual(e.PartitionInput.Values);
        expect(e.PartitionInput.StorageDescriptor.Location).toMatch(
          /\/run=run-b\/batch=\d\/dt=[\d-]+\/hour=\d\d\/$/,
        );
      }
    }
    expect(p.batches[0]?.updatePartitions?.Entries[0]?.PartitionValueList).toEqual(['2026-11-03', '02']);
  });

  it('lists the old prefixes to delete in the batch that switched them away', () => {
    expect(p.batches.map((b) => b.cleanup.length)).toEqual([50, 50, 0]);
    expect(p.batches[0]?.cleanup[0]).toBe(`${ROOT}run=old/batch=0/dt=2026-11-03/hour=02/`);
    const oldOfBatch = (i: number) =>
      (p.batches[i]?.updatePartitions?.Entries ?? []).map((e) => {
        const [dt, hour] = e.PartitionValueList;
        return `${ROOT}run=old/batch=0/dt=${dt}/hour=${hour}/`;
      });
    expect(p.batches[0]?.cleanup).toEqual(oldOfBatch(0));
    expect(p.batches[1]?.cleanup).toEqual(oldOfBatch(1));
    expect(p.retained).toEqual([]);
  });

  it('keeps an old prefix another partition still reads, or one outside the table', () => {
    const shared = `${ROOT}legacy/`;
    const q = plan({
      hours: hours(0, 2),
      registered: [registeredAt(0, shared), registeredAt(5, shared), registeredAt(1, 's3://elsewhere/data/')],
    });
    expect(q.batches[0]?.cleanup).toEqual([]);
    expect(q.retained).toEqual([shared, 's3://elsewhere/data/']);
    // Once every partition on it moves in the same batch, it can go.
    const r = plan({
      hours: [...hours(0, 2), ...hours(5, 1)],
      registered: [registeredAt(0, shared), registeredAt(1, shared)],
    });
    expect(r.batches[0]?.cleanup).toEqual([shared]);
    expect(plan({ hours: hours(0, 1), registered: [registeredAt(0, ROOT)] }).retained).toEqual([ROOT]);
  });
});

describe('executed in order', () => {
  type Catalog = Map<string, string>;
  /** S3 as the set of partition folders holding files. */
  type Store = Set<string>;

  function readable(catalog: Catalog, store: Store) {
    for (const [key, location] of catalog) expect(store.has(location), `${key} at ${location}`).toBe(true);
  }

  function execute(p: PartitionSwitchPlan, catalog: Catalog, store: Store, failUnloadOf?: number) {
    for (const b of p.batches) {
      for (const f of [...store]) if (f.startsWith(b.outputPrefix)) store.delete(f);
      const written = b.partitions.map((x) => `${b.outputPrefix}dt=${x.dt}/hour=${x.hour}/`);
      if (b.index === failUnloadOf) {
        store.add(written[0] ?? ''); // a partial write, then the query fails
        readable(catalog, store);
        return false;
      }
      for (const f of written) store.add(f);
      readable(catalog, store);
      for (const x of b.createPartitions?.PartitionInputList ?? []) {
        expect(catalog.has(x.Values.join(' '))).toBe(false);
        catalog.set(x.Values.join(' '), x.StorageDescriptor.Location);
      }
      for (const e of b.updatePartitions?.Entries ?? []) {
        expect(catalog.has(e.PartitionValueList.join(' '))).toBe(true);
        catalog.set(e.PartitionValueList.join(' '), e.PartitionInput.StorageDescriptor.Location);
      }
      readable(catalog, store);
      for (const prefix of b.cleanup) for (const f of [...store]) if (f.startsWith(prefix)) store.delete(f);
      readable(catalog, store);
    }
    return true;
  }

  const asRegistered = (catalog: Catalog): RegisteredPartition[] =>
    [...catalog].map(([key, location]) => ({
      Values: key.split(' '),
      StorageDescriptor: { Location: location },
    }));

  it('never leaves an hour unreadable, a failed UNLOAD leaves the catalog as it was, and a new run finishes', () => {
    const catalog: Catalog = new Map();
    const store: Store = new Set();
    for (const r of hours(50, 100).map((_, i) => oldRun(50 + i))) {
      catalog.set((r.Values ?? []).join(' '), r.StorageDescriptor?.Location ?? '');
      store.add(r.StorageDescriptor?.Location ?? '');
    }
    const first = plan({ runId: 'run-1', registered: asRegistered(catalog) });
    const before = new Map(catalog);
    expect(execute(first, catalog, store, 1)).toBe(false);
    // Batch 0 switched; batch 1's hours still point where they did.
    for (const x of first.batches[1]?.partitions ?? [])
      expect(catalog.get(`${x.dt} ${x.hour}`)).toBe(before.get(`${x.dt} ${x.hour}`));
    expect(catalog.size).toBe(150);

    const second = plan({ runId: 'run-2', registered: asRegistered(catalog) });
    expect(execute(second, catalog, store)).toBe(true);
    expect(catalog.size).toBe(250);
    for (const location of catalog.values()) expect(location).toContain('/run=run-2/');
    // Nothing of the earlier runs is left but run-1's failed batch output.
    expect([...store].filter((f) => !f.includes('/run=run-2/'))).toEqual([
      `${ROOT}run=run-1/batch=1/dt=2026-11-05/hour=04/`,
    ]);
  });
});

describe('run ids and batching', () => {
  it('gives every run its own prefix, never inside another', () => {
    const a = plan({ runId: 'run-a' });
    const b = plan({ runId: 'run-ab' });
    const prefixes = [...a.batches, ...b.batches].map((x) => x.outputPrefix);
    expect(new Set(prefixes).size).toBe(6);
    for (const x of prefixes) for (const y of prefixes) if (x !== y) expect(x.startsWith(y)).toBe(false);
  });

  it('refuses a run id already used by a registered partition, or one unfit for a path', () => {
    expect(() => plan({ runId: 'old', registered: [oldRun(3)] })).toThrow(/run id "old" was used before/);
    expect(() => plan({ runId: 'a/b' })).toThrow(/run id/);
    expect(() => plan({ runId: "x'y" })).toThrow(/run id/);
  });

  it('splits at gaps, sorts and de-duplicates hours, and honours a smaller batch size', () => {
    const p = plan({ hours: [...hours(10, 3), ...hours(0, 2), ...hours(1, 1)], maxPartitionsPerBatch: 2 });
    expect(p.batches.map((b) => [b.from, b.to])).toEqual([
      [iso(0), iso(2)],
      [iso(10), iso(12)],
      [iso(12), iso(13)],
    ]);
    expect(plan({ hours: [] }).batches).toEqual([]);
  });

  it('refuses more than 100 partitions a batch and times that are not hour starts', () => {
    expect(() => plan({ maxPartitionsPerBatch: 101 })).toThrow(/from 1 to 100/);
    expect(() => plan({ hours: [new Date(START + 60_000)] })).toThrow(/start of a UTC hour/);
    expect(() => plan({ hours: [new Date(Number.NaN)] })).toThrow(/start of a UTC hour/);
    expect(() =>
      plan({ registered: [{ Values: ['2026-11-01'], StorageDescriptor: { Location: ROOT } }] }),
    ).toThrow(/not \(dt, hour\)/);
  });

  it('takes dt and hour from a transform without a time column (the hourly churn table)', () => {
    const table: TableDefinition = identityCenterInstanceChurnHourly;
    const p = plan({
      table,
      transform: libraryTransform(churnHour as LibraryQuery<never, unknown>),
      hours: hours(0, 24),
    });
    const [batch] = p.batches;
    expect(batch?.unload.QueryString).toContain('ORDER BY t.account_id, t.region\n');
    expect(batch?.outputPrefix).toBe(
      's3://lake-bucket/lakeq/curated/identity_center_instance_churn_hourly/run=run-a/batch=0/',
    );
    expect(trino.validate(innerSelect(batch?.unload.QueryString ?? ''))).toEqual([]);
    if (batch?.createPartitions) expectValidRequest('glue', 'BatchCreatePartition', batch.createPartitions);
  });
});

describe('isNonRetryable', () => {
  it('recognises the non-retryable Athena errors in any shape they arrive in', () => {
    const reason = 'HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers for partitions/buckets';
    expect(isNonRetryable(reason)).toBe(true);
    expect(isNonRetryable(new Error(reason))).toBe(true);
    expect(isNonRetryable({ Error: 'Athena.AmazonAthenaException', Cause: reason })).toBe(true);
    expect(isNonRetryable({ State: 'FAILED', StateChangeReason: reason })).toBe(true);
    expect(isNonRetryable({ ErrorCategory: 2, ErrorMessage: reason })).toBe(true);
  });

  it('leaves throttling and unknown failures retryable', () => {
    expect(isNonRetryable(new Error('ThrottlingException: Rate exceeded'))).toBe(false);
    expect(isNonRetryable({ Error: 'Athena.TooManyRequestsException', Cause: 'slow down' })).toBe(false);
    expect(isNonRetryable(undefined)).toBe(false);
    expect(isNonRetryable(null)).toBe(false);
  });
});
