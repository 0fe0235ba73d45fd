/**
 * The benchmark's CloudTrail sample: generated once with the project's generator into
 * `bench/.data/cloudtrail-<events>/` and reused while its marker (`bench/.data/cloudtrail-<events>.json`,
 * kept outside the folder so lakeq's scan never sees it) records the same parameters and the same
 * generator sources.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CloudTrailSampleSummary, writeCloudTrailSample } from '../src/sources/cloudtrail/sample.ts';

export const DATA_DIR = path.join(import.meta.dirname, '.data');
const SOURCES_DIR = path.join(import.meta.dirname, '..', 'src', 'sources');

/** The estate: a week of November 2026, 5 accounts, 2 Regions; volume set by events per hour. */
const ACCOUNTS = 5;
const REGIONS = ['us-east-1', 'eu-west-1'];
const FROM = '2026-11-01T00:00:00.000Z';
const TO = '2026-11-08T00:00:00.000Z';
const SEED = 1;

export interface SampleParams {
  readonly accounts: number;
  readonly regions: string[];
  readonly from: string;
  readonly to: string;
  readonly seed: number;
  readonly eventsPerHour: number;
}

export interface BenchSample {
  readonly folder: string;
  readonly params: SampleParams;
  readonly summary: CloudTrailSampleSummary;
  /** Generation time when this run generated it; undefined when it was reused. */
  readonly generatedMs: number | undefined;
  readonly bytes: number;
}

interface Marker {
  params: SampleParams;
  generator: string;
  summary: CloudTrailSampleSummary;
  generatedMs: number;
  bytes: number;
}

/**
 * The generator's `eventsPerHour` is the average per account and Region (Identity Center churn comes
 * on top, a few dozen calls a week), so the target count fixes it.
 */
export function sampleParams(targetEvents: number): SampleParams {
  const hours = (Date.parse(TO) - Date.parse(FROM)) / 3_600_000;
  const eventsPerHour = Math.max(1, Math.round(targetEvents / (ACCOUNTS * REGIONS.length * hours)));
  return { accounts: ACCOUNTS, regions: REGIONS, from: FROM, to: TO, seed: SEED, eventsPerHour };
}

/** A hash of the generator's sources: a changed generator means a new sample. */
async function generatorVersion(): Promise<string> {
  const hash = createHash('sha256');
  const helpers = path.join(SOURCES_DIR, 'cloudtrail', 'sample');
  const files = [
    path.join(SOURCES_DIR, 'sample-random.ts'),
    path.join(SOURCES_DIR, 'cloudtrail', 'sample.ts'),
    ...(await readdir(helpers))
      .filter((n) => n.endsWith('.ts'))
      .sort()
      .map((n) => path.join(helpers, n)),
  ];
  for (const file of files) {
    hash.update(path.relative(SOURCES_DIR, file));
    hash.update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

async function readMarker(file: string): Promise<Marker | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

async function folderBytes(root: string): Promise<number> {
  let total = 0;
  for (const rel of await readdir(root, { recursive: true })) {
    const info = await stat(path.join(root, rel));
    if (info.isFile()) total += info.size;
  }
  return total;
}

/** The sample for about `targetEvents` events: the cached one when its marker matches, else a new one. */
export async function ensureSample(targetEvents: number, log: (line: string) => void): Promise<BenchSample> {
  const params = sampleParams(targetEvents);
  const name = `cloudtrail-${targetEvents}`;
  const folder = path.join(DATA_DIR, name);
  const markerFile = path.join(DATA_DIR, `${name}.json`);
  const generator = await generatorVersion();
  const marker = await readMarker(markerFile);
  if (marker && marker.generator === generator && JSON.stringify(marker.params) === JSON.stringify(params)) {
    log(`sample: reusing ${path.relative(process.cwd(), folder)} (${marker.summary.events} events)`);
    return { folder, params, summary: marker.summary, generatedMs: undefined, bytes: marker.bytes };
  }
  log(
    `sample: generating ~${targetEvents} events (${params.accounts} accounts x ${params.regions.length} Regions, ` +
      `${params.from.slice(0, 10)}..${params.to.slice(0, 10)}, ${params.eventsPerHour} events/hour) into ` +
      `${path.relative(process.cwd(), folder)} ...`,
  );
  await rm(markerFile, { force: true });
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const started = performance.now();
  const summary = await writeCloudTrailSample({
    out: folder,
    from: new Date(params.from),
    to: new Date(params.to),
    accounts: params.accounts,
    regions: params.regions,
    eventsPerHour: params.eventsPerHour,
    seed: params.seed,
  });
  const generatedMs = performance.now() - started;
  const bytes = await folderBytes(folder);
  const written: Marker = { params, generator, summary, generatedMs, bytes };
  await writeFile(markerFile, `${JSON.stringify(written, null, 2)}\n`);
  log(
    `sample: ${summary.events} events in ${summary.files} files (${(bytes / 1e6).toFixed(0)} MB gzipped) ` +
      `generated in ${(generatedMs / 1000).toFixed(1)} s`,
  );
  return { folder, params, summary, generatedMs, bytes };
}
