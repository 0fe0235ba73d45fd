import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const SHARED_FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures');

export type CloudTrailRecord = Record<string, unknown>;

export interface FixtureRecord {
  readonly file: string;
  readonly record: CloudTrailRecord;
}

/**
 * Every CloudTrail record of ../shared/fixtures/cloudtrail: AWS documentation examples (single
 * records, `{"Records": [...]}` files and EventBridge events whose `detail` is the record) and
 * the logs of public detection-rule tests for CloudTrail (other log types in those tests,
 * such as Okta or GCP, are not CloudTrail and are left out).
 */
export function loadCloudTrailFixtureRecords(): FixtureRecord[] {
  const out: FixtureRecord[] = [];
  const base = path.join(SHARED_FIXTURES, 'cloudtrail');
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
 * Writes records into a folder in the CloudTrail S3 layout, a gzipped `{"Records": [...]}` per
 * `perFile` records, under one account and Region per file group.
 */
export async function writeRecordsInS3Layout(
  root: string,
  records: readonly CloudTrailRecord[],
  options: { account?: string; region?: string; day?: string; perFile?: number; prefix?: string } = {},
): Promise<string[]> {
  const account = options.account ?? '111122223333';
  const region = options.region ?? 'us-east-1';
  const [y, m, d] = (options.day ?? '2026-11-01').split('-');
  const dir = path.join(
    root,
    'AWSLogs',
    ...(options.prefix ? [options.prefix] : []),
    account,
    'CloudTrail',
    region,
    y!,
    m!,
    d!,
  );
  await mkdir(dir, { recursive: true });
  const perFile = options.perFile ?? 50;
  const files: string[] = [];
  for (let i = 0; i < records.length; i += perFile) {
    const name = `${account}_CloudTrail_${region}_${y}${m}${d}T0000Z_${String(i / perFile).padStart(16, '0')}.json.gz`;
    const file = path.join(dir, name);
    await writeFile(file, gzipSync(JSON.stringify({ Records: records.slice(i, i + perFile) })));
    files.push(file);
  }
  return files;
}
