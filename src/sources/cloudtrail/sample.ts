/**
 * `lakeq sample cloudtrail`: writes a realistic, deterministic CloudTrail estate into a folder laid out
 * like the trail's S3 bucket.
 *
 * - Layout: `AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail_<region>_<yyyyMMdd>T<HHmm>Z_<16 alnum>.json.gz`,
 *   and `AWSLogs/<o-…>/<account>/CloudTrail/…` for accounts logged by the organization trail. Each file is
 *   the gzip of one JSON object `{"Records":[…]}`.
 * - Delivery: files every 5 minutes per account and Region (at a fixed minute offset per account and
 *   Region); a record goes into the first file stamped at or after its delivery time, which is 30 s–4 min
 *   after its eventTime, or 12–80 min for about 1 % of the records (late delivery: such records land in a
 *   later hour's or day's file while eventTime stays true). Late records of the window's last hour are
 *   delivered in files stamped after `to`, as CloudTrail would. A busy 5-minute slot is split into several
 *   files with the same timestamp.
 * - Determinism: the output is a pure function of the options (no wall clock; fixed gzip level); every
 *   account, Region and hour draws from its own seeded stream.
 * - Volume: `eventsPerHour` is the average per account and Region (human activity follows UTC office hours);
 *   Identity Center churn (identity-center-events.ts) comes on top. Generation streams per account and
 *   Region, one hour at a time, so memory stays flat at any size.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Random } from '../sample-random.ts';
import type { SampleWriter } from '../source-definition.ts';
import type { Estate, SampleAccount, SampleLayout } from './sample/estate.ts';
import { buildEstate } from './sample/estate.ts';
import { generateEverydayEvents, type TimedRecord } from './sample/everyday-events.ts';
import {
  type IdentityCenterCall,
  type IdentityCenterChurn,
  identityCenterCalls,
  identityCenterChurn,
  identityCenterRecord,
} from './sample/identity-center-events.ts';

const gzipAsync = promisify(gzip);

export interface CloudTrailSampleOptions {
  /** Output folder; the files go under `<out>/AWSLogs/`. */
  out: string;
  /** Window start (inclusive), rounded down to the UTC hour. */
  from: Date;
  /** Window end (exclusive), rounded up to the UTC hour. */
  to: Date;
  /** Number of accounts (default 3). */
  accounts?: number;
  /** Average events per hour per account and Region, besides Identity Center churn (default 40). */
  eventsPerHour?: number;
  /** Seed (default 1). */
  seed?: number;
  /** Regions (default ['us-east-1', 'eu-west-1']); the first is every account's home Region. */
  regions?: string[];
  /**
   * The organization id in organization-trail keys (default 'o-' + 10 characters derived from the seed).
   * When set (and `layout` is not), every account uses the organization-trail layout.
   */
  organizationId?: string;
  /**
   * 'mixed' (default when organizationId is not set): the first account has its own trail (standalone
   * layout, not in the organization), the others are organization members logged by the organization
   * trail, the second account being the management account. 'organization': all accounts under the
   * organization prefix, the first being the management account. 'standalone': no organization.
   */
  layout?: SampleLayout;
  /** Files written concurrently (default 8). */
  concurrency?: number;
}

export interface CloudTrailSampleSummary {
  files: number;
  events: number;
  identityCenter: IdentityCenterChurn;
  accounts: string[];
  /** The window actually generated (whole hours), ISO 8601. */
  from: string;
  to: string;
}

export interface ResolvedSampleOptions {
  out: string;
  from: number;
  to: number;
  accounts: number;
  eventsPerHour: number;
  seed: number;
  regions: string[];
  organizationId: string | undefined;
  layout: SampleLayout;
  concurrency: number;
}

const HOUR = 3_600_000;
const SLOT = 5 * 60_000;
const MAX_RECORDS_PER_FILE = 400;

export function resolveSampleOptions(options: CloudTrailSampleOptions): ResolvedSampleOptions {
  const from = Math.floor(options.from.getTime() / HOUR) * HOUR;
  const to = Math.ceil(options.to.getTime() / HOUR) * HOUR;
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('from and to must be valid dates');
  if (to <= from)
    throw new RangeError(`empty window: from ${options.from.toISOString()} to ${options.to.toISOString()}`);
  const accounts = options.accounts ?? 3;
  if (!Number.isInteger(accounts) || accounts < 1)
    throw new RangeError('accounts must be a positive integer');
  const eventsPerHour = options.eventsPerHour ?? 40;
  if (!(eventsPerHour >= 0)) throw new RangeError('eventsPerHour must be >= 0');
  const regions = options.regions ?? ['us-east-1', 'eu-west-1'];
  if (regions.length === 0) throw new RangeError('at least one region is needed');
  if (options.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(options.organizationId)) {
    throw new RangeError(`organizationId must match o-[a-z0-9]{10,32}: ${options.organizationId}`);
  }
  return {
    out: options.out,
    from,
    to,
    accounts,
    eventsPerHour,
    seed: options.seed ?? 1,
    regions,
    organizationId: options.organizationId,
    layout: options.layout ?? (options.organizationId ? 'organization' : 'mixed'),
    concurrency: Math.max(1, options.concurrency ?? 8),
  };
}

/** Everything derived from the options before any record is written. */
export interface SampleContext {
  options: ResolvedSampleOptions;
  estate: Estate;
  /** The Identity Center plan of the whole window (see identity-center-events.ts). */
  identityCenter: IdentityCenterCall[];
  identityCenterByCell: Map<string, IdentityCenterCall[]>;
}

const cellKey = (accountIndex: number, region: string, hourStart: number) =>
  `${accountIndex}|${region}|${hourStart}`;

export function createSampleContext(options: CloudTrailSampleOptions): SampleContext {
  const resolved = resolveSampleOptions(options);
  const estate = buildEstate({
    seed: resolved.seed,
    accounts: resolved.accounts,
    regions: resolved.regions,
    layout: resolved.layout,
    organizationId: resolved.organizationId,
  });
  const identityCenter = identityCenterCalls(estate, {
    from: new Date(resolved.from),
    to: new Date(resolved.to),
  });
  const identityCenterByCell = new Map<string, IdentityCenterCall[]>();
  for (const call of identityCenter) {
    const key = cellKey(call.accountIndex, call.region, Math.floor(call.time / HOUR) * HOUR);
    const list = identityCenterByCell.get(key);
    if (list) list.push(call);
    else identityCenterByCell.set(key, [call]);
  }
  return { options: resolved, estate, identityCenter, identityCenterByCell };
}

/** All records of one account, Region and hour (everyday events and Identity Center calls), by eventTime. */
export function generateHourRecords(
  ctx: SampleContext,
  accountIndex: number,
  region: string,
  hourStart: Date,
): TimedRecord[] {
  const account = ctx.estate.accounts[accountIndex];
  if (!account) throw new RangeError(`no account ${accountIndex}`);
  const start = hourStart.getTime();
  const records = generateEverydayEvents({
    seed: ctx.options.seed,
    account,
    region,
    hourStart: start,
    eventsPerHour: ctx.options.eventsPerHour,
  });
  const calls = ctx.identityCenterByCell.get(cellKey(accountIndex, region, start));
  if (calls) {
    for (const call of calls)
      records.push({ time: call.time, record: identityCenterRecord(ctx.estate, call) });
    records.sort((a, b) => a.time - b.time);
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------------
// Object keys

/** Matches a CloudTrail log object key; groups: org id (optional), account, region, yyyy, mm, dd, yyyyMMdd, HHmm, suffix. */
export const CLOUDTRAIL_KEY_PATTERN =
  /^AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/CloudTrail\/([a-z]{2}(?:-[a-z]+)+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\2_CloudTrail_\3_(\d{8})T(\d{4})Z_([A-Za-z0-9]{16})\.json\.gz$/;

/** The S3 key (relative to the bucket) of a log file delivered at `fileTime`. */
export function cloudTrailObjectKey(
  account: SampleAccount,
  region: string,
  fileTime: number,
  suffix: string,
): string {
  const iso = new Date(fileTime).toISOString();
  const yyyy = iso.slice(0, 4);
  const mm = iso.slice(5, 7);
  const dd = iso.slice(8, 10);
  const stamp = `${yyyy}${mm}${dd}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  const prefix = account.organizationId
    ? `AWSLogs/${account.organizationId}/${account.id}`
    : `AWSLogs/${account.id}`;
  return `${prefix}/CloudTrail/${region}/${yyyy}/${mm}/${dd}/${account.id}_CloudTrail_${region}_${stamp}_${suffix}.json.gz`;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

class WriteQueue {
  #inflight = new Set<Promise<void>>();
  #dirs = new Set<string>();
  #limit: number;
  #error: unknown = null;

  constructor(limit: number) {
    this.#limit = limit;
  }

  async add(path: string, json: string): Promise<void> {
    if (this.#error) throw this.#error;
    while (this.#inflight.size >= this.#limit) await Promise.race(this.#inflight);
    const task = this.#write(path, json).then(
      () => {
        this.#inflight.delete(task);
      },
      (error: unknown) => {
        this.#inflight.delete(task);
        this.#error ??= error;
      },
    );
    this.#inflight.add(task);
  }

  async #write(path: string, json: string): Promise<void> {
    const dir = path.slice(0, path.lastIndexOf('/'));
    if (!this.#dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.#dirs.add(dir);
    }
    await writeFile(path, await gzipAsync(json, { level: 6 }));
  }

  async drain(): Promise<void> {
    await Promise.all(this.#inflight);
    if (this.#error) throw this.#error;
  }
}

/** Writes the sample and returns what was written. */
export async function writeCloudTrailSample(
  options: CloudTrailSampleOptions,
): Promise<CloudTrailSampleSummary> {
  const ctx = createSampleContext(options);
  const { seed, from, to, regions } = ctx.options;
  const queue = new WriteQueue(ctx.options.concurrency);
  let files = 0;
  let events = 0;

  for (const account of ctx.estate.accounts) {
    for (const region of regions) {
      const offset = new Random(seed, 'delivery-offset', account.index, region).int(0, 4) * 60_000;
      const slotOf = (delivery: number) => Math.ceil((delivery - offset) / SLOT) * SLOT + offset;
      const pending = new Map<number, TimedRecord[]>();
      const flush = async (upTo: number) => {
        const due = [...pending.keys()].filter((slot) => slot <= upTo).sort((a, b) => a - b);
        for (const slot of due) {
          const batch = pending.get(slot) as TimedRecord[];
          pending.delete(slot);
          batch.sort((a, b) => a.time - b.time);
          const rng = new Random(seed, 'file', account.index, region, slot);
          const count =
            Math.ceil(batch.length / MAX_RECORDS_PER_FILE) + (batch.length >= 4 && rng.chance(0.08) ? 1 : 0);
          const parts: TimedRecord[][] = Array.from({ length: count }, () => []);
          batch.forEach((r, i) => {
            parts[i % count]?.push(r);
          });
          for (const part of parts) {
            const key = cloudTrailObjectKey(account, region, slot, rng.alnum(16));
            const json = JSON.stringify({ Records: part.map((r) => r.record) });
            await queue.add(join(ctx.options.out, key), json);
            files++;
            events += part.length;
          }
        }
      };
      for (let hour = from; hour < to; hour += HOUR) {
        const records = generateHourRecords(ctx, account.index, region, new Date(hour));
        const delivery = new Random(seed, 'delivery', account.index, region, hour);
        for (const r of records) {
          const delay = delivery.chance(0.01) ? delivery.int(12 * 60, 80 * 60) : delivery.int(30, 240);
          const slot = slotOf(r.time + delay * 1000);
          const list = pending.get(slot);
          if (list) list.push(r);
          else pending.set(slot, [r]);
        }
        await flush(hour + HOUR);
      }
      await flush(Number.POSITIVE_INFINITY);
    }
  }
  await queue.drain();
  return {
    files,
    events,
    identityCenter: identityCenterChurn(ctx.identityCenter),
    accounts: ctx.estate.accounts.map((a) => a.id),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  };
}

/**
 * CloudTrail's sample for `lakeq sample cloudtrail` (`--accounts`, `--events-per-hour`) and for
 * `npm start`, which writes one into a trail folder without log files.
 *
 * @example
 * ```ts
 * await cloudTrailSampleWriter.write({ out, from, to, seed: 1, options: { accounts: 2 } });
 * ```
 */
export const cloudTrailSampleWriter: SampleWriter = {
  write: async ({ out, from, to, seed, options }) => {
    const summary = await writeCloudTrailSample({
      out,
      from,
      to,
      seed,
      ...(options.accounts !== undefined ? { accounts: options.accounts } : {}),
      ...(options['events-per-hour'] !== undefined ? { eventsPerHour: options['events-per-hour'] } : {}),
    });
    return {
      summary:
        `wrote ${summary.events} events in ${summary.files} files to ${out} ` +
        `(${summary.accounts.length} accounts, ${summary.from} to ${summary.to}; Identity Center: ` +
        `${summary.identityCenter.created} created, ${summary.identityCenter.deleted} deleted, ${summary.identityCenter.failed} failed calls)`,
      brief: `  ${summary.events} events in ${summary.files} files, ${summary.accounts.length} accounts`,
    };
  },
  inspect: async (input) => {
    const { scanCloudTrailFolder } = await import('./raw-duckdb-files.ts');
    const existing = await scanCloudTrailFolder(input);
    return existing.files.length === 0
      ? { found: false, message: `No CloudTrail logs in ${input}: writing a sample estate there…` }
      : { found: true, message: `Reading ${existing.files.length} CloudTrail log files in ${input}` };
  },
};
