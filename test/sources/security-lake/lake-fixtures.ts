import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { REAL_FIXTURES } from '../../support/fixture-dirs.ts';

/** The real Security Lake samples: the OCSF Parquet files (not the raw inputs beside them). */
export const SAMPLES = path.join(REAL_FIXTURES, 'ocsf/security-lake-samples');

export interface PlacedSample {
  /** The fixture file. */
  readonly fixture: string;
  /** Its copy in the lake layout. */
  readonly placed: string;
  readonly source: string;
  readonly version: '1.0' | '2.0';
}

/** Each sample folder → the Security Lake source and version its records belong to. */
const FOLDERS: readonly { dir: string; source: string; version: '1.0' | '2.0' }[] = [
  { dir: '1.0.0-rc.2/CLOUD_TRAIL/account_change', source: 'CLOUD_TRAIL_MGMT', version: '1.0' },
  {
    dir: '1.0.0-rc.2/CLOUD_TRAIL/api_activity_general_CT_events',
    source: 'CLOUD_TRAIL_MGMT',
    version: '1.0',
  },
  { dir: '1.0.0-rc.2/CLOUD_TRAIL/authentication', source: 'CLOUD_TRAIL_MGMT', version: '1.0' },
  { dir: '1.0.0-rc.2/ROUTE53', source: 'ROUTE53', version: '1.0' },
  { dir: '1.0.0-rc.2/SH_FINDINGS', source: 'SH_FINDINGS', version: '1.0' },
  { dir: '1.0.0-rc.2/VPC_FLOW', source: 'VPC_FLOW', version: '1.0' },
  { dir: '1.1.0/EKS', source: 'EKS_AUDIT', version: '2.0' },
];

/**
 * Copies every real OCSF sample into a lake folder in Security Lake's layout
 * (`aws/<SOURCE>/<version>/region=us-east-1/accountId=123456789012/eventDay=20221110/<file>`),
 * byte for byte. The day folder is arbitrary: the samples' own times span years.
 */
export async function placeSamples(lake: string, account = '123456789012'): Promise<PlacedSample[]> {
  const out: PlacedSample[] = [];
  for (const f of FOLDERS) {
    const dir = path.join(SAMPLES, f.dir);
    const names = (await readdir(dir)).filter((n) => n.endsWith('.parquet')).sort();
    const target = path.join(
      lake,
      'aws',
      f.source,
      f.version,
      'region=us-east-1',
      `accountId=${account}`,
      'eventDay=20221110',
    );
    await mkdir(target, { recursive: true });
    for (const name of names) {
      // Names repeat across the CloudTrail folders' files only by accident; prefix the folder.
      const placed = path.join(target, `${path.basename(f.dir)}-${name}`);
      await copyFile(path.join(dir, name), placed);
      out.push({ fixture: path.join(dir, name), placed, source: f.source, version: f.version });
    }
  }
  return out;
}
