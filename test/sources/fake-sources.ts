import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import { isoTimestamp, partitionColumns } from '../../queries/transforms/transform-sql.ts';
import { defineTable, type RawSourceName } from '../../src/catalog/table-definition.ts';
import { hourKey } from '../../src/ingest/hours.ts';
import type { SourceFile } from '../../src/ingest/source-file.ts';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import type {
  LocalRawRelationsFactory,
  SourceDefinition,
  SourceListing,
  SourceOnAws,
} from '../../src/sources/source-definition.ts';

/*
 * Two sources that exist only for test/sources/adding-a-source.test.ts, which appends them to
 * the registry (SOURCES) and nothing else: `fake-audit`, delivered NDJSON files read where they
 * are (with a sample, Athena DDL, a deploy section and IAM read scope), and `fake-api`, collected
 * from captured responses into hour files. Each has one raw relation and one curated table.
 * Both lay their raw files out by hour: `<root>/dt=YYYY-MM-DD/hour=HH/<name>.json`.
 */

declare module '../../src/catalog/table-definition.ts' {
  interface RawSourceNames {
    'fake-audit': true;
    'fake-api': true;
  }
}

/** One line of a fake source's raw files. */
export interface FakeRecord {
  readonly actor: string;
  /** ISO 8601 UTC, `2026-11-27T13:05:00Z`. */
  readonly seen_at: string;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The hour folder of a time under a fake source's root. */
export function fakeHourDir(root: string, at: Date): string {
  const iso = at.toISOString();
  return path.join(root, `dt=${iso.slice(0, 10)}`, `hour=${iso.slice(11, 13)}`);
}

/** Writes records as NDJSON hour files under `root`; answers the hours (ISO) it wrote. */
export async function writeFakeHours(root: string, file: string, records: readonly FakeRecord[]) {
  const byHour = new Map<string, FakeRecord[]>();
  for (const r of records) {
    const dir = fakeHourDir(root, new Date(r.seen_at));
    byHour.set(dir, [...(byHour.get(dir) ?? []), r]);
  }
  const hours: string[] = [];
  for (const [dir, lines] of byHour) {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, file), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const [, day, hour] = /dt=([\d-]+)[/\\]hour=(\d+)$/.exec(dir) ?? [];
    hours.push(new Date(`${day}T${hour}:00:00Z`).toISOString());
  }
  return hours.sort();
}

async function hourFiles(dir: string): Promise<SourceFile[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: SourceFile[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const info = await stat(path.join(dir, name));
    out.push({ path: path.join(dir, name), size: info.size, mtimeMs: info.mtimeMs });
  }
  return out;
}

/** The DuckDB view `relation` over a fake source's NDJSON files (empty, same columns, without any). */
function localViews(raw: RawSourceName, relation: string): LocalRawRelationsFactory {
  return ({ root, scan }) => {
    let files: string[] = [];
    const create = (run: (sql: string) => Promise<void>) =>
      run(
        files.length === 0
          ? `CREATE OR REPLACE VIEW ${relation} AS SELECT CAST(NULL AS VARCHAR) AS actor, CAST(NULL AS VARCHAR) AS seen_at WHERE false`
          : `CREATE OR REPLACE VIEW ${relation} AS SELECT actor, seen_at FROM read_json([${files.map(sqlString).join(', ')}],
              columns = {actor: 'VARCHAR', seen_at: 'VARCHAR'}, format = 'newline_delimited')`,
      );
    return {
      setup: async (run) => {
        files = [];
        if (scan && root !== undefined) {
          for (const day of await readdir(root).catch(() => [] as string[]))
            for (const hour of await readdir(path.join(root, day)).catch(() => [] as string[]))
              files.push(...(await hourFiles(path.join(root, day, hour))).map((f) => f.path));
        }
        await create(run);
      },
      useFiles: async (name, batch, run) => {
        files = name === raw ? [...batch] : [];
        await create(run);
      },
      recover: async () => false,
    };
  };
}

/** The planner's listing of a fake source: each hour's folder. */
const hourListing: SourceListing = {
  filesByHour: async ({ root, hours }) => {
    const out = new Map<string, SourceFile[]>();
    for (const hour of hours) {
      const files = await hourFiles(fakeHourDir(root, hour));
      if (files.length > 0) out.set(hourKey(hour), files);
    }
    return out;
  },
};

/** Actions per actor and hour: the transform both fake tables share, over their raw relation. */
function actorsPerHour(id: string, relation: string) {
  return defineQuery({
    id,
    version: '1.0.0',
    title: `Load: ${relation} per actor and hour`,
    description: `Rows of ${relation} with seen_at in [from, to), counted per actor, with the partition keys dt and hour.`,
    engines: ['duckdb', 'athena'],
    params: timeWindow({}),
    build: ({ from, to }) => sql<Record<string, unknown>>`
      select actor, count(*) as actions, ${partitionColumns('t')}
      from (select actor, ${isoTimestamp('seen_at')} as t from ${sql.table(relation)}) e
      where t >= ${from} and t < ${to}
      group by 1, 3, 4`,
  });
}

const columns = [
  { name: 'actor', type: 'string', comment: 'who acted' },
  { name: 'actions', type: 'bigint', comment: 'actions in the hour' },
];

export const fakeAuditHourly = defineTable({
  name: 'fake_audit_hourly',
  description: 'Audit actions per actor and hour (test-only source).',
  columns,
  location: 'curated/fake_audit_hourly',
  input: { source: 'fake-audit' },
  transform: { queryId: 'transforms/fake-audit-hour' },
  sortKey: ['actor'],
});

export const fakeApiHourly = defineTable({
  name: 'fake_api_hourly',
  description: 'API calls per actor and hour (test-only collected source).',
  columns,
  location: 'curated/fake_api_hourly',
  input: { source: 'fake-api' },
  transform: { queryId: 'transforms/fake-api-hour' },
  sortKey: ['actor'],
});

/** The fake sources' transforms, as queries/index.ts lists the library's. */
export const FAKE_QUERY_MODULES: Readonly<Record<string, () => Promise<{ default: unknown }>>> = {
  'transforms/fake-audit-hour': async () => ({
    default: actorsPerHour('transforms/fake-audit-hour', 'fake_audit_raw'),
  }),
  'transforms/fake-api-hour': async () => ({
    default: actorsPerHour('transforms/fake-api-hour', 'fake_api_raw'),
  }),
};

const FAKE_AUDIT_SECTION = z.object({ bucket: z.string().min(3) }).strict();

/** fake-audit on AWS: one external table over its bucket, read in place. */
function fakeAuditOnAws(bucket: string): SourceOnAws {
  return {
    tableInputs: () => [
      {
        Name: 'fake_audit_raw',
        TableType: 'EXTERNAL_TABLE',
        Parameters: { EXTERNAL: 'TRUE', classification: 'json' },
        PartitionKeys: [],
        StorageDescriptor: {
          Columns: [
            { Name: 'actor', Type: 'string' },
            { Name: 'seen_at', Type: 'string' },
          ],
          Location: `s3://${bucket}/audit/`,
          InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          Compressed: false,
          StoredAsSubDirectories: false,
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe', Parameters: {} },
        },
      },
    ],
    tableDdl: () => [
      `CREATE EXTERNAL TABLE \`fake_audit_raw\` (\`actor\` string, \`seen_at\` string) LOCATION 's3://${bucket}/audit/'`,
    ],
    views: () => [],
    readScope: `s3://${bucket}/audit/`,
    root: `s3://${bucket}/audit`,
  };
}

/** A delivered source: NDJSON audit files, read where they are. */
export const fakeAuditSource: SourceDefinition = {
  name: 'fake-audit',
  title: 'Fake audit',
  inputs: 'delivered',
  input: { defaultFolder: 'fake-audit', description: 'fake audit NDJSON files by hour' },
  rawSources: ['fake-audit'],
  rawRelations: ['fake_audit_raw'],
  tables: [fakeAuditHourly],
  local: async () => localViews('fake-audit', 'fake_audit_raw'),
  list: async () => hourListing,
  aws: {
    section: { key: 'fakeAudit', schema: FAKE_AUDIT_SECTION },
    ddlFlags: [{ flag: 'fake-bucket', placeholder: 'B', required: true }],
    ddlDescribe: 'the raw fake_audit_raw table',
    root: { describe: 'the audit bucket' },
    iamName: 'FakeAudit',
    fromSection: (section) => fakeAuditOnAws(FAKE_AUDIT_SECTION.parse(section).bucket),
    fromFlags: (flags) => fakeAuditOnAws(flags['fake-bucket'] ?? ''),
  },
  sample: {
    options: [{ name: 'actors', default: 2 }],
    writer: async () => ({
      write: async ({ out, from, to, options }) => {
        const actors = options.actors ?? 2;
        const records: FakeRecord[] = [];
        for (let t = from.getTime(); t < to.getTime(); t += 3_600_000)
          for (let a = 0; a < actors; a++)
            records.push({ actor: `actor-${a}`, seen_at: new Date(t + (a + 1) * 60_000).toISOString() });
        const hours = await writeFakeHours(out, 'audit.json', records);
        return {
          summary: `wrote ${records.length} audit records in ${hours.length} files to ${out}`,
          brief: `  ${records.length} audit records`,
        };
      },
      inspect: async (input) =>
        (await stat(input).catch(() => undefined))
          ? { found: true, message: `Reading fake audit records in ${input}` }
          : { found: false, message: `No fake audit records in ${input}: writing a sample there…` },
    }),
  },
};

/** A collected source: captured responses (`calls.json`, a list of records) → hour files. */
export const fakeApiSource: SourceDefinition = {
  name: 'fake-api',
  title: 'Fake API',
  inputs: 'collected',
  input: { defaultFolder: 'fake-api-captured', description: 'captured fake API responses' },
  rawSources: ['fake-api'],
  rawRelations: ['fake_api_raw'],
  tables: [fakeApiHourly],
  local: async () => localViews('fake-api', 'fake_api_raw'),
  list: async () => hourListing,
  collect:
    async () =>
    async ({ input, root }, { from, to }) => {
      const text = await readFile(path.join(input, 'calls.json'), 'utf8').catch(() => undefined);
      if (text === undefined) return { collected: false, reason: `no captured calls in ${input}` };
      const calls = (JSON.parse(text) as FakeRecord[]).filter(
        (c) => Date.parse(c.seen_at) >= from.getTime() && Date.parse(c.seen_at) < to.getTime(),
      );
      const touchedHours = await writeFakeHours(root, 'calls.json', calls);
      return { collected: true, touchedHours, summary: { calls: calls.length } };
    },
};
