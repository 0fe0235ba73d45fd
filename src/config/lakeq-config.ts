import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ENGINE_NAMES, type EngineName, LakeqError } from '../engines/engine.ts';
import { DEFAULT_GLUE_PRICES, type GluePrices, gluePricesSchema } from '../sources/glue/collect/prices.ts';
import { SOURCES } from '../sources/index.ts';

/** The name of the settings file looked for in the working directory. */
export const CONFIG_FILE = 'lakeq.config.json';

const configSchema = z
  .object({
    dataDir: z.string().min(1).optional().describe('local data folder (default ./lakeq-data)'),
    engine: z.enum(ENGINE_NAMES).optional().describe('default engine (default duckdb)'),
    // One key per registered source (src/sources/index.ts): the folder it is read from.
    sources: z
      .object(
        Object.fromEntries(
          SOURCES.map((s) => [s.name, z.string().min(1).optional().describe(s.input.description)]),
        ),
      )
      .strict()
      .optional(),
    // A source's own section (SourceDefinition.settings): `identityCenter`.
    ...Object.fromEntries(
      SOURCES.flatMap((s) => (s.settings ? [[s.settings.key, s.settings.schema.optional()]] : [])),
    ),
    pricing: z
      .object({
        glue: gluePricesSchema.optional().describe('USD per DPU-hour by execution class and Region'),
      })
      .strict()
      .optional(),
    alarms: z
      .object({
        glueDailyCostUsd: z.number().positive().optional().describe('threshold of the glue-daily-cost alarm'),
      })
      .strict()
      .optional(),
    aws: z
      .object({
        region: z.string().optional(),
        profile: z.string().optional(),
        athena: z
          .object({
            workGroup: z.string().optional(),
            outputLocation: z
              .string()
              .regex(/^s3:\/\//, 'must be an s3:// URI')
              .optional(),
            database: z.string().optional(),
            catalog: z.string().optional(),
            resultReuseMaxAgeMinutes: z.number().int().min(1).max(10080).optional(),
          })
          .strict()
          .optional(),
        cloudtrailLake: z
          .object({ eventDataStore: z.string().min(1).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type LakeqConfigFile = z.infer<typeof configSchema>;

/** Settings after the file, the environment and command-line overrides are applied. */
export interface LakeqSettings {
  readonly dataDir: string;
  readonly engine: EngineName;
  /**
   * Each registered source's input folder, by source name (default `<dataDir>/raw/<its default
   * folder>`): CloudTrail's logs in `cloudtrail`, the Glue collector's captured API responses in
   * `glue` (default `<dataDir>/raw/glue-api`). See `SourceDefinition.input`.
   */
  readonly sources: Readonly<Record<string, string>>;
  /** Prices the collectors use for estimated costs. */
  readonly pricing: { readonly glue: GluePrices };
  /** Each source's own section of the file (`SourceDefinition.settings`), parsed, by source name; absent when the file has none. */
  readonly sourceSettings: Readonly<Record<string, unknown>>;
  /** Thresholds of the default alarms (src/alarms/alarms.ts). */
  readonly alarms: { readonly glueDailyCostUsd?: number };
  readonly aws: {
    readonly region?: string;
    readonly profile?: string;
    readonly athena: {
      readonly workGroup: string;
      readonly outputLocation?: string;
      readonly database: string;
      readonly catalog: string;
      readonly resultReuseMaxAgeMinutes?: number;
    };
    readonly cloudtrailLake: { readonly eventDataStore?: string };
  };
  /** The file the settings came from, when there was one. */
  readonly configFile?: string;
}

export interface SettingsOverrides {
  readonly configFile?: string;
  readonly dataDir?: string;
  readonly engine?: EngineName;
  readonly sources?: Readonly<Record<string, string>>;
}

/**
 * Reads `lakeq.config.json` (or `--config FILE`) and applies overrides. Relative paths in the
 * file are relative to the file; relative overrides to the working directory. AWS region and
 * profile fall back to AWS_REGION / AWS_DEFAULT_REGION and AWS_PROFILE.
 *
 * @example
 * ```ts
 * const settings = await loadSettings({ dataDir: 'lq' });
 * settings.sources.cloudtrail // '<working directory>/lq/raw/cloudtrail'
 * ```
 */
export async function loadSettings(
  overrides: SettingsOverrides = {},
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<LakeqSettings> {
  const explicit = overrides.configFile !== undefined;
  const file = path.resolve(cwd, overrides.configFile ?? CONFIG_FILE);
  let parsed: LakeqConfigFile = {};
  let found = false;
  try {
    const text = await readFile(file, 'utf8');
    found = true;
    parsed = parseConfig(text, file);
  } catch (error) {
    if (error instanceof LakeqError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || explicit) {
      throw new LakeqError('CONFIG_UNREADABLE', `cannot read config ${file}: ${(error as Error).message}`, {
        usage: true,
      });
    }
  }
  const base = found ? path.dirname(file) : cwd;
  const dataDir = overrides.dataDir
    ? path.resolve(cwd, overrides.dataDir)
    : path.resolve(base, parsed.dataDir ?? './lakeq-data');
  const names = SOURCES.map((s) => s.name);
  const unknownSource = Object.keys(overrides.sources ?? {}).find((s) => !names.includes(s));
  if (unknownSource) {
    throw new LakeqError(
      'BAD_OPTION',
      `unknown source "${unknownSource}" in --source (known: ${names.join(', ')})`,
      { usage: true },
    );
  }
  const source = (name: string, fallback: string) => {
    const override = overrides.sources?.[name];
    if (override) return path.resolve(cwd, override);
    const fromFile = parsed.sources?.[name];
    return fromFile ? path.resolve(base, fromFile) : path.join(dataDir, 'raw', fallback);
  };
  const athena = parsed.aws?.athena ?? {};
  const region = parsed.aws?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const profile = parsed.aws?.profile ?? env.AWS_PROFILE;
  return {
    dataDir,
    engine: overrides.engine ?? parsed.engine ?? 'duckdb',
    sources: Object.fromEntries(SOURCES.map((s) => [s.name, source(s.name, s.input.defaultFolder)])),
    pricing: { glue: parsed.pricing?.glue ?? DEFAULT_GLUE_PRICES },
    sourceSettings: Object.fromEntries(
      SOURCES.flatMap((s) => {
        const section = s.settings ? (parsed as Record<string, unknown>)[s.settings.key] : undefined;
        return section === undefined ? [] : [[s.name, section]];
      }),
    ),
    alarms: parsed.alarms?.glueDailyCostUsd ? { glueDailyCostUsd: parsed.alarms.glueDailyCostUsd } : {},
    aws: {
      ...(region ? { region } : {}),
      ...(profile ? { profile } : {}),
      athena: {
        workGroup: athena.workGroup ?? 'primary',
        database: athena.database ?? 'lakeq',
        catalog: athena.catalog ?? 'AwsDataCatalog',
        ...(athena.outputLocation ? { outputLocation: athena.outputLocation } : {}),
        ...(athena.resultReuseMaxAgeMinutes
          ? { resultReuseMaxAgeMinutes: athena.resultReuseMaxAgeMinutes }
          : {}),
      },
      cloudtrailLake: parsed.aws?.cloudtrailLake?.eventDataStore
        ? { eventDataStore: parsed.aws.cloudtrailLake.eventDataStore }
        : {},
    },
    ...(found ? { configFile: file } : {}),
  };
}

function parseConfig(text: string, file: string): LakeqConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LakeqError('BAD_CONFIG', `${file} is not valid JSON: ${(error as Error).message}`, {
      usage: true,
    });
  }
  const result = configSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new LakeqError('BAD_CONFIG', `${file}: ${problems.join('; ')}`, { usage: true });
  }
  return result.data;
}
