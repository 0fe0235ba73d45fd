import { parseArgs } from 'node:util';
import type { LakeqSettings } from '../config/lakeq-config.ts';
import { ENGINE_NAMES, type EngineName, LakeqError } from '../engines/engine.ts';

export const OUTPUT_FORMATS = ['table', 'csv', 'json', 'ndjson', 'parquet'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Options every command that reads data accepts. */
export const COMMON_OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  source: { type: 'string', multiple: true },
  engine: { type: 'string' },
  param: { type: 'string', multiple: true },
  format: { type: 'string' },
  out: { type: 'string' },
  'max-rows': { type: 'string' },
  'max-width': { type: 'string' },
  all: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type CommonValues = {
  config?: string;
  'data-dir'?: string;
  source?: string[];
  engine?: string;
  param?: string[];
  format?: string;
  out?: string;
  'max-rows'?: string;
  'max-width'?: string;
  all?: boolean;
  help?: boolean;
};

/** Parses a command's arguments with the common options; unknown options are usage errors. */
export function parseCommon(args: string[]): { values: CommonValues; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args,
    options: COMMON_OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  return { values: values as CommonValues, positionals };
}

/** `--param a=1 --param b=2` → `{ a: '1', b: '2' }`. */
export function parseParamFlags(flags: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags ?? []) {
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      throw new LakeqError('BAD_OPTION', `--param "${flag}" must be name=value`, { usage: true });
    }
    const name = flag.slice(0, eq).trim();
    if (name in out) throw new LakeqError('BAD_OPTION', `--param ${name} is given twice`, { usage: true });
    out[name] = flag.slice(eq + 1);
  }
  return out;
}

/** `--source cloudtrail=DIR` (repeatable) → `{ cloudtrail: 'DIR' }`. */
export function parseSources(flags: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags ?? []) {
    const eq = flag.indexOf('=');
    if (eq <= 0)
      throw new LakeqError('BAD_OPTION', `--source "${flag}" must be name=FOLDER`, { usage: true });
    out[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return out;
}

export function parseEngine(value: string | undefined): EngineName | undefined {
  if (value === undefined) return undefined;
  if (!(ENGINE_NAMES as readonly string[]).includes(value)) {
    throw new LakeqError(
      'BAD_OPTION',
      `--engine must be one of ${ENGINE_NAMES.join(', ')} (got "${value}")`,
      {
        usage: true,
      },
    );
  }
  return value as EngineName;
}

export function parseFormat(value: string | undefined, isTTY: boolean): OutputFormat {
  if (value === undefined) return isTTY ? 'table' : 'csv';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) {
    throw new LakeqError(
      'BAD_OPTION',
      `--format must be one of ${OUTPUT_FORMATS.join(', ')} (got "${value}")`,
      {
        usage: true,
      },
    );
  }
  return value as OutputFormat;
}

export function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new LakeqError('BAD_OPTION', `--${name} must be a positive integer (got "${value}")`, {
      usage: true,
    });
  }
  return n;
}

/** The narrowest `--max-width` accepted: a key column, a separator and a `…` column. */
export const MIN_MAX_WIDTH = 10;

/**
 * `--max-width N` as `{ maxWidth }` for writeRows' options: a table's width in terminal
 * columns, `0` for cells whole; `{}` when not given (the table then fits the terminal).
 *
 * @example
 * ```ts
 * await writeRows(rows, columns, { format, maxRows, ...parseMaxWidth(values['max-width']) }, io)
 * ```
 */
export function parseMaxWidth(value: string | undefined): { maxWidth?: number } {
  if (value === undefined) return {};
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || (n !== 0 && n < MIN_MAX_WIDTH)) {
    throw new LakeqError(
      'BAD_OPTION',
      `--max-width must be 0 (cells whole) or a width of at least ${MIN_MAX_WIDTH} columns (got "${value}")`,
      { usage: true },
    );
  }
  return { maxWidth: n };
}

/** Settings from the config file with this command's overrides. */
export async function settingsFrom(values: CommonValues): Promise<LakeqSettings> {
  const { loadSettings } = await import('../config/lakeq-config.ts');
  const engine = parseEngine(values.engine);
  const settings = await loadSettings({
    ...(values.config ? { configFile: values.config } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(engine ? { engine } : {}),
    sources: parseSources(values.source),
  });
  const { stat } = await import('node:fs/promises');
  const info = await stat(settings.dataDir).catch(() => undefined);
  // A source folder named on the command line must exist: a typo would read as "no data".
  for (const [name, dir] of Object.entries(parseSources(values.source) ?? {})) {
    if (dir.startsWith('s3://')) continue;
    const source = await stat(dir).catch(() => undefined);
    if (!source?.isDirectory()) {
      throw new LakeqError(
        'NO_SOURCE',
        `--source ${name}=${dir}: ${source ? 'not a folder' : 'no such folder'}`,
        { usage: true },
      );
    }
  }
  if (info && !info.isDirectory()) {
    throw new LakeqError('BAD_DATA_DIR', `the data folder ${settings.dataDir} is a file, not a folder`);
  }
  return settings;
}

/**
 * What a local state machine run reads, from the settings: the data folder, each source's input
 * (the CloudTrail folder, the Glue collector's captured API responses), the prices and the Region
 * its collectors use.
 *
 * @example
 * ```ts
 * await runStateMachine('hourly', { time }, { ...localRunSources(settings), signal })
 * ```
 */
export function localRunSources(settings: LakeqSettings) {
  return {
    dataDir: settings.dataDir,
    sources: settings.sources,
    pricing: settings.pricing,
    sourceSettings: settings.sourceSettings,
    ...(settings.aws.region ? { region: settings.aws.region } : {}),
  };
}
