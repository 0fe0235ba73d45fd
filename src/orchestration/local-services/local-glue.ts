import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RegisteredPartition } from '../../ingest/athena/partition-switch-plan.ts';
import type { Json } from '../asl-definition.ts';
import { namedError } from '../named-error.ts';
import { serialized } from './serialized.ts';

/**
 * The Glue partition catalog of a local run: per curated table, each registered hour and the
 * location it points at, in `<dataDir>/catalog/glue-partitions/<table>.json`. Locally the
 * staging file + rename of each partition IS the switch (DuckDB reads the files, not this); the
 * record keeps the plan's create-or-update choice and the BatchCreatePartition /
 * BatchUpdatePartition inputs honest: a partition created twice, or updated before it exists,
 * comes back in `Errors` as Glue answers it.
 */

interface StoredPartition {
  readonly Values: readonly string[];
  readonly Location: string;
  readonly Parameters?: Readonly<Record<string, string>>;
}

const MAX_PER_CALL = 100;

function registryPath(dataDir: string, table: string): string {
  return path.join(dataDir, 'catalog', 'glue-partitions', `${table}.json`);
}

/**
 * The registered partitions of a table, as Glue GetPartitions returns them.
 *
 * @example
 * ```ts
 * await getLocalPartitions(dataDir, 'cloudtrail_events')
 * // [{ Values: ['2026-11-27', '13'], StorageDescriptor: { Location: 's3://lakeq-local/lakeq/curated/cloudtrail_events/run=.../' } }]
 * ```
 */
export async function getLocalPartitions(dataDir: string, table: string): Promise<RegisteredPartition[]> {
  return (await readRegistry(dataDir, table)).map((p) => ({
    Values: p.Values,
    StorageDescriptor: { Location: p.Location },
  }));
}

/**
 * Glue BatchCreatePartition against the local catalog.
 *
 * @example
 * ```ts
 * await localBatchCreatePartition(dataDir, { DatabaseName: 'lakeq', TableName: 'cloudtrail_events', PartitionInputList: [...] })
 * // { Errors: [] }
 * ```
 */
export function localBatchCreatePartition(dataDir: string, input: Json): Promise<Json> {
  const request = asRecord(input, 'BatchCreatePartition');
  const table = requireString(request, 'TableName');
  requireString(request, 'DatabaseName');
  const list = requireList(request, 'PartitionInputList');
  const inputs = list.map((item, i) => partitionInput(item, `PartitionInputList[${i}]`));
  return serialized(`glue:${dataDir}`, async () => {
    const registry = await readRegistry(dataDir, table);
    const errors: Json[] = [];
    for (const p of inputs) {
      if (registry.some((r) => sameValues(r.Values, p.Values))) {
        errors.push(partitionError(p.Values, 'AlreadyExistsException', 'Partition already exists.'));
      } else {
        registry.push(p);
      }
    }
    await writeRegistry(dataDir, table, registry);
    return { Errors: errors };
  });
}

/**
 * Glue BatchUpdatePartition against the local catalog: points registered hours at new locations.
 *
 * @example
 * ```ts
 * await localBatchUpdatePartition(dataDir, { DatabaseName: 'lakeq', TableName: 'cloudtrail_events', Entries: [...] })
 * // { Errors: [] }
 * ```
 */
export function localBatchUpdatePartition(dataDir: string, input: Json): Promise<Json> {
  const request = asRecord(input, 'BatchUpdatePartition');
  const table = requireString(request, 'TableName');
  requireString(request, 'DatabaseName');
  const entries = requireList(request, 'Entries').map((entry, i) => {
    const e = asRecord(entry, `Entries[${i}]`);
    const values = requireList(e, 'PartitionValueList');
    return {
      values: values.map(String),
      input: partitionInput(e.PartitionInput ?? null, `Entries[${i}].PartitionInput`),
    };
  });
  return serialized(`glue:${dataDir}`, async () => {
    const registry = await readRegistry(dataDir, table);
    const errors: Json[] = [];
    for (const entry of entries) {
      const at = registry.findIndex((r) => sameValues(r.Values, entry.values));
      if (at === -1)
        errors.push(partitionError(entry.values, 'EntityNotFoundException', 'Partition not found.'));
      else registry[at] = entry.input;
    }
    await writeRegistry(dataDir, table, registry);
    return { Errors: errors };
  });
}

function partitionInput(value: Json, where: string): StoredPartition {
  const p = asRecord(value, where);
  const values = requireList(p, 'Values', 1);
  const sd = asRecord(p.StorageDescriptor ?? null, `${where}.StorageDescriptor`);
  const location = requireString(sd, 'Location');
  const params = p.Parameters;
  return {
    Values: values.map(String),
    Location: location,
    ...(params && typeof params === 'object' && !Array.isArray(params)
      ? { Parameters: params as Record<string, string> }
      : {}),
  };
}

function partitionError(values: readonly string[], code: string, message: string): Json {
  return { PartitionValues: [...values], ErrorDetail: { ErrorCode: code, ErrorMessage: message } };
}

const sameValues = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function invalid(message: string): Error {
  return namedError('Glue.InvalidInputException', message);
}

function asRecord(value: Json, where: string): { [key: string]: Json } {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw invalid(`${where} must be an object`);
  return value;
}

function requireString(record: { [key: string]: Json }, key: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${key} is required`);
  return value;
}

function requireList(record: { [key: string]: Json }, key: string, min = 1): Json[] {
  const value = record[key];
  if (!Array.isArray(value) || value.length < min || value.length > MAX_PER_CALL) {
    throw invalid(`${key} must be a list of ${min} to ${MAX_PER_CALL} items`);
  }
  return value;
}

async function readRegistry(dataDir: string, table: string): Promise<StoredPartition[]> {
  try {
    return JSON.parse(await readFile(registryPath(dataDir, table), 'utf8')) as StoredPartition[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function writeRegistry(
  dataDir: string,
  table: string,
  registry: readonly StoredPartition[],
): Promise<void> {
  const file = registryPath(dataDir, table);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(registry));
  await rename(temp, file);
}
