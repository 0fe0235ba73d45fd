import type { LakeqSettings } from '../../config/lakeq-config.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../engines/duckdb/duckdb-engine.ts';
import { LocalCloudTrailSource } from './local-cloudtrail-source.ts';

/**
 * The embedded engine with the local catalog: DuckDB views `cloudtrail_logs` and
 * `cloudtrail_events` over the CloudTrail folder of the settings.
 */
export async function openLocalEngine(
  settings: Pick<LakeqSettings, 'sources'>,
  options: { threads?: number } = {},
): Promise<DuckDbEngine> {
  const cloudtrail = new LocalCloudTrailSource(settings.sources.cloudtrail);
  return createDuckDbEngine({
    ...(options.threads ? { threads: options.threads } : {}),
    setup: (run, warn) => cloudtrail.setup(run, warn),
    recover: (error, run, warn) => cloudtrail.recover(error, run, warn),
  });
}
