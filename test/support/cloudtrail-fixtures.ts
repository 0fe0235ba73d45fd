import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { REAL_FIXTURES } from './fixture-dirs.ts';

export { REAL_FIXTURES };

export type CloudTrailRecord = Record<string, unknown>;

export interface FixtureRecord {
  readonly file: string;
  readonly record: CloudTrailRecord;
}

/**
 * Every CloudTrail record of test/fixtures/real/cloudtrail: AWS documentation examples (single
 * records, `{"Records": [...]}` files and EventBridge events whose `detail` is the record) and
 * the logs of public detection-rule tests for CloudTrail (other log types in those tests,
 * such as Okta or GCP, are not CloudTrail and are left out).
 */
export function loadCloudTrailFixtureRecords(): FixtureRecord[] {
  const out: FixtureRecord[] = [];
  const base = path.join(REAL_FIXTURES, 'cloudtrail');
  for (const dir of ['aws-docs', 'aws-docs-current']) {
    for (const name of readdirSync(path.join(base, dir)).sort()) {
      const file = path.join(base, dir, name);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as CloudTrailRecord;
      if (Array.isArray(doc.Records))
        for (const r of doc.Records as CloudTrailRecord[]) out.push({ file, record: r });
      else if (doc.detail && typeof doc.detail === 'object')
        out.push({ file, record: doc.detail as CloudTrailRecord });
      else out.push({ file, record: doc });
    }
  }
  for (const name of readdirSync(path.join(base, 'panther-rule-tests')).sort()) {
    const file = path.join(base, 'panther-rule-tests', name);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      source: string;
      tests: { log: CloudTrailRecord }[];
    };
    const cloudTrailRule = doc.source.includes('/aws_cloudtrail_rules/');
    for (const t of doc.tests) {
      if (cloudTrailRule || 'eventSource' in t.log) out.push({ file, record: t.log });
    }
  }
  return out;
}

/**
 * Writes records into a folder in the CloudTrail S3 layout as a trail delivers them: grouped by
 * the hour of their eventTime, in gzipped `{"Records": [...]}` files of at most `perFile`
 * records, each named with a delivery time `deliveryDelayMinutes` after its hour starts and
 * kept in the folder of its delivery day. Records without a usable eventTime go in files of
 * `options.day`.
 */
export async function writeRecordsInS3Layout(
  root: string,
  records: readonly CloudTrailRecord[],
  options: {
    account?: string;
    region?: string;
    day?: string;
    perFile?: number;
    prefix?: string;
    deliveryDelayMinutes?: number;
    tag?: string;
  } = {},
): Promise<string[]> {
  const account = options.account ?? '111122223333';
  const region = options.region ?? 'us-east-1';
  const delay = (options.deliveryDelayMinutes ?? 5) * 60_000;
  const groups = new Map<number, CloudTrailRecord[]>();
  const fallback = Date.parse(`${options.day ?? '2026-11-01'}T00:00:00Z`);
  for (const r of records) {
    const t = typeof r.eventTime === 'string' ? Date.parse(r.eventTime) : Number.NaN;
    const hour = Number.isNaN(t) ? fallback : Math.floor(t / 3_600_000) * 3_600_000;
    const list = groups.get(hour) ?? [];
    list.push(r);
    groups.set(hour, list);
  }
  const perFile = options.perFile ?? 50;
  const files: string[] = [];
  for (const [hour, list] of [...groups].sort((a, b) => a[0] - b[0])) {
    const delivered = new Date(hour + delay);
    const iso = delivered.toISOString();
    const [y, m, d] = iso.slice(0, 10).split('-') as [string, string, string];
    const stamp = `${y}${m}${d}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
    const dir = path.join(
      root,
      'AWSLogs',
      ...(options.prefix ? [options.prefix] : []),
      account,
      'CloudTrail',
      region,
      y,
      m,
      d,
    );
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < list.length; i += perFile) {
      const suffix = `${options.tag ?? 'f'}${String(i / perFile)}`.padStart(16, '0');
      const file = path.join(dir, `${account}_CloudTrail_${region}_${stamp}_${suffix}.json.gz`);
      await writeFile(file, gzipSync(JSON.stringify({ Records: list.slice(i, i + perFile) })));
      files.push(file);
    }
  }
  return files;
}
