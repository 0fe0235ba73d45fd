import { runLoad } from '../../src/ingest/run-load.ts';

/** Loads every finished hour of [from, to) of a CloudTrail folder into a data folder's tables. */
export async function loadAll(dataDir: string, cloudtrailRoot: string, from: string, to: string) {
  const { summary } = await runLoad({
    dataDir,
    roots: { cloudtrail: cloudtrailRoot },
    from: new Date(from),
    to: new Date(to),
    now: new Date('2100-01-01T00:00:00Z'),
  });
  if (!summary || summary.failed > 0) throw new Error(`load failed: ${summary?.errors.join('; ')}`);
  return summary;
}
