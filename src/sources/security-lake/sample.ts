/**
 * `lakeq sample security-lake`: a deterministic Security Lake in its S3 layout
 * (`aws/<SOURCE>/<version>/region=<r>/accountId=<a>/eventDay=<YYYYMMDD>/*.parquet`), in source
 * version 1, 2, or both (version 1 up to the window's middle day, version 2 from it: a lake in
 * migration). The CloudTrail management events are the CloudTrail sample's own records (same
 * seed, accounts and events per hour: sample/ocsf-from-cloudtrail.ts maps each), so a query over
 * either source agrees; the VPC flows, DNS queries, WAF requests (version 2 only) and Security Hub
 * findings (updated over time) are drawn from seeded streams. Parquet is written by DuckDB with
 * each table's declared columns and types.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSampleContext, generateHourRecords } from '../cloudtrail/sample.ts';
import type { SampleWriter } from '../source-definition.ts';
import { findingUpdates, ocsfFinding, planFindings } from './sample/findings.ts';
import { networkHour } from './sample/network.ts';
import { ocsfFromCloudTrail, type Placed } from './sample/ocsf-from-cloudtrail.ts';
import { SECURITY_LAKE_TABLES, type SecurityLakeTable } from './schema.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Which source versions a sample writes. */
export type SampleVersions = '1' | '2' | 'both';

export interface SecurityLakeSampleOptions {
  readonly out: string;
  readonly from: Date;
  readonly to: Date;
  readonly seed?: number;
  /** Accounts (default 3, as the CloudTrail sample). */
  readonly accounts?: number;
  /** CloudTrail events per hour per account and Region (default 40, as the CloudTrail sample). */
  readonly eventsPerHour?: number;
  readonly versions?: SampleVersions;
  /** Write only these sources (default all). */
  readonly sources?: readonly SecurityLakeTable['source'][];
}

export interface SecurityLakeSampleSummary {
  /** Records written per table, `SH_FINDINGS 2.0`. */
  readonly records: Record<string, number>;
  readonly files: number;
  readonly accounts: readonly string[];
  readonly from: string;
  readonly to: string;
  /** The first hour written in version 2 (`both`), ISO. */
  readonly switchAt?: string;
}

/** The version an hour is written in. */
export function versionAt(versions: SampleVersions, from: number, to: number, time: number): 1 | 2 {
  if (versions !== 'both') return versions === '1' ? 1 : 2;
  const middle = Math.floor((from + (to - from) / 2) / DAY) * DAY;
  return time < Math.max(middle, from + HOUR) ? 1 : 2;
}

const keyOf = (t: SecurityLakeTable) => `${t.source} ${t.version}.0`;

/**
 * Writes the sample.
 *
 * @example
 * ```ts
 * await writeSecurityLakeSample({ out: './lake', from: new Date('2026-11-01'), to: new Date('2026-11-08'), versions: 'both' });
 * // { records: { 'CLOUD_TRAIL_MGMT 1.0': 9012, 'SH_FINDINGS 2.0': 143, … }, files: 312, … }
 * ```
 */
export async function writeSecurityLakeSample(
  options: SecurityLakeSampleOptions,
): Promise<SecurityLakeSampleSummary> {
  const seed = options.seed ?? 1;
  const versions = options.versions ?? 'both';
  const ctx = createSampleContext({
    out: options.out,
    from: options.from,
    to: options.to,
    seed,
    ...(options.accounts !== undefined ? { accounts: options.accounts } : {}),
    ...(options.eventsPerHour !== undefined ? { eventsPerHour: options.eventsPerHour } : {}),
  });
  const { from, to, regions } = ctx.options;
  const accounts = ctx.estate.accounts.map((a) => a.id);
  const wanted = (source: SecurityLakeTable['source']) =>
    options.sources === undefined || options.sources.includes(source);
  const work = await mkdtemp(path.join(tmpdir(), 'lakeq-seclake-sample-'));
  const writers = new Map<
    string,
    { table: SecurityLakeTable; file: string; stream: ReturnType<typeof createWriteStream>; rows: number }
  >();
  const put = async (source: SecurityLakeTable['source'], version: 1 | 2, placed: Placed) => {
    const table = SECURITY_LAKE_TABLES.find((t) => t.source === source && t.version === version);
    if (!table || !wanted(source)) return;
    let w = writers.get(keyOf(table));
    if (!w) {
      const file = path.join(work, `${source}-${version}.ndjson`);
      w = { table, file, stream: createWriteStream(file), rows: 0 };
      writers.set(keyOf(table), w);
    }
    const day = new Date(placed.time).toISOString().slice(0, 10).replace(/-/g, '');
    const line = `${JSON.stringify({ ...placed.record, region: placed.region, accountId: placed.accountId, eventDay: day })}\n`;
    w.rows++;
    if (!w.stream.write(line)) await once(w.stream, 'drain');
  };
  try {
    for (const account of ctx.estate.accounts) {
      for (const region of regions) {
        for (let hour = from; hour < to; hour += HOUR) {
          const version = versionAt(versions, from, to, hour);
          if (wanted('CLOUD_TRAIL_MGMT')) {
            for (const r of generateHourRecords(ctx, account.index, region, new Date(hour)))
              await put('CLOUD_TRAIL_MGMT', version, ocsfFromCloudTrail(r.record, version));
          }
          if (!wanted('VPC_FLOW') && !wanted('ROUTE53') && !wanted('WAF')) continue;
          const net = networkHour(seed, account.id, region, hour, version);
          for (const p of net.flows) await put('VPC_FLOW', version, p);
          for (const p of net.dns) await put('ROUTE53', version, p);
          for (const p of net.waf) await put('WAF', version, p);
        }
      }
    }
    for (const u of findingUpdates(planFindings(seed, accounts, regions, from, to), from, to)) {
      const version = versionAt(versions, from, to, Math.floor(u.time / HOUR) * HOUR);
      await put('SH_FINDINGS', version, ocsfFinding(u, version));
    }
    for (const w of writers.values()) {
      w.stream.end();
      await once(w.stream, 'finish');
    }
    const files = await writeParquet(options.out, [...writers.values()]);
    const switchAt = versions === 'both' ? firstV2Hour(from, to) : undefined;
    return {
      records: Object.fromEntries([...writers.entries()].map(([k, w]) => [k, w.rows]).sort()),
      files,
      accounts,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      ...(switchAt !== undefined ? { switchAt: new Date(switchAt).toISOString() } : {}),
    };
  } finally {
    for (const w of writers.values()) w.stream.destroy();
    await rm(work, { recursive: true, force: true });
  }
}

function firstV2Hour(from: number, to: number): number | undefined {
  for (let h = from; h < to; h += HOUR) if (versionAt('both', from, to, h) === 2) return h;
  return undefined;
}

/**
 * The Parquet writer (sample-parquet.ts, DuckDB), imported by a computed URL: the registry reaches
 * this module (`sample.writer`), and the Lambda's bundle, built from code that reads the registry,
 * must not take DuckDB with it.
 */
async function writeParquet(
  out: string,
  tables: readonly { table: SecurityLakeTable; file: string; rows: number }[],
): Promise<number> {
  const writer = new URL('./sample-parquet.ts', import.meta.url).href;
  const { writeSampleParquet } = (await import(writer)) as typeof import('./sample-parquet.ts');
  return writeSampleParquet(out, tables);
}

/**
 * Security Lake's sample for `lakeq sample security-lake` (`--accounts`, `--events-per-hour`,
 * `--version 1|2|both`) and for `npm start`, which writes one into an empty lake folder.
 *
 * @example
 * ```ts
 * await securityLakeSampleWriter.write({ out, from, to, seed: 1, options: {}, choices: { version: '2' } });
 * ```
 */
export const securityLakeSampleWriter: SampleWriter = {
  write: async ({ out, from, to, seed, options, choices }) => {
    const summary = await writeSecurityLakeSample({
      out,
      from,
      to,
      seed,
      versions: (choices?.version as SampleVersions | undefined) ?? 'both',
      ...(options.accounts !== undefined ? { accounts: options.accounts } : {}),
      ...(options['events-per-hour'] !== undefined ? { eventsPerHour: options['events-per-hour'] } : {}),
    });
    const total = Object.values(summary.records).reduce((a, b) => a + b, 0);
    const tables = Object.entries(summary.records).map(([k, n]) => `${k}: ${n}`);
    return {
      summary:
        `wrote ${total} OCSF records in ${summary.files} files to ${out} (${summary.accounts.length} accounts, ` +
        `${summary.from} to ${summary.to}${summary.switchAt ? `, version 2 from ${summary.switchAt}` : ''}; ${tables.join(', ')})`,
      brief: `  ${total} OCSF records in ${summary.files} files, ${summary.accounts.length} accounts`,
    };
  },
  inspect: async (input) => {
    const { scanSecurityLake } = await import('./raw-duckdb-files.ts');
    const existing = await scanSecurityLake(input);
    return existing.files.length === 0
      ? { found: false, message: `No Security Lake data in ${input}: writing a sample lake there…` }
      : { found: true, message: `Reading ${existing.files.length} Security Lake files in ${input}` };
  },
};
