import { glob } from 'node:fs/promises';
import path from 'node:path';
import { parseHiveType, toDuckDbType } from '../catalog/hive-types.ts';
import type { DuckDbRun } from '../engines/duckdb/duckdb-dialect-config.ts';
import type { EngineWarning } from '../engines/engine.ts';
import { type CollectedRelation, rawColumnType } from './collected-relation.ts';
import type { LocalRawRelationsFactory } from './source-definition.ts';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** `dt` and `hour` from the file's folders, not DuckDB's hive detection (which would also read the root's `a=b` folders). */
const PARTITION_IN_PATH = String.raw`dt=([0-9]{4}-[0-9]{2}-[0-9]{2})[/\\]hour=([0-9]{2})[/\\][^/\\]*$`;

/**
 * The DuckDB view of a collected relation over exactly `files`: the collected keys with their raw
 * types (timestamps as the collector's ISO text), then `dt` and `hour` of the file's folder, as
 * the Athena table has them. No file → an empty view with the same columns, not an error.
 *
 * @example
 * ```ts
 * collectedViewSql(GLUE_JOB_RUNS, ['/data/raw/glue/job-runs/dt=2026-11-27/hour=13/job-runs.json'])
 * // CREATE OR REPLACE VIEW "glue_job_runs_collected" AS SELECT "job_name", …, dt, hour FROM read_json([…], columns = {…})
 * ```
 */
export function collectedViewSql(relation: CollectedRelation, files: readonly string[]): string {
  const typed = relation.columns.map((c) => ({
    name: c.name,
    sqlType: toDuckDbType(parseHiveType(rawColumnType(c))),
  }));
  const head = `CREATE OR REPLACE VIEW ${ident(relation.relation)} AS`;
  if (files.length === 0) {
    const nulls = typed.map((c) => `CAST(NULL AS ${c.sqlType}) AS ${ident(c.name)}`);
    return `${head} SELECT ${nulls.join(', ')}, CAST(NULL AS VARCHAR) AS dt, CAST(NULL AS VARCHAR) AS hour WHERE false`;
  }
  const spec = typed.map((c) => `${ident(c.name)}: ${sqlString(c.sqlType)}`).join(', ');
  const list = `[${files.map(sqlString).join(', ')}]`;
  return `${head} SELECT ${typed.map((c) => ident(c.name)).join(', ')},
    regexp_extract(filename, ${sqlString(PARTITION_IN_PATH)}, 1) AS dt,
    regexp_extract(filename, ${sqlString(PARTITION_IN_PATH)}, 2) AS hour
  FROM read_json(${list}, columns = {${spec}}, format = 'newline_delimited', filename = true,
    hive_partitioning = false)`;
}

/** The collected files of a relation under the root, every partition (`lakeq sql`, queries). */
export async function scanCollectedFiles(root: string, relation: CollectedRelation): Promise<string[]> {
  const dir = path.join(root, relation.folder);
  const out: string[] = [];
  for await (const file of glob('dt=*/hour=*/*.json', { cwd: dir })) out.push(path.join(dir, file));
  return out.sort();
}

const FILE_IN_ERROR = [/ in file "([^"]+)"/, /(?:file|File) "([^"]+)"/];

/**
 * The local views of a collected source's relations. A file DuckDB cannot read (malformed JSON)
 * is excluded, named in a `SOURCE_FILE_SKIPPED` warning, and the query runs again over the rest,
 * as CloudTrail files are.
 *
 * @example
 * ```ts
 * const views = new LocalCollectedRelations('./lakeq-data/raw/glue', COLLECTED_RELATIONS);
 * await views.setup(run, warn); // a view per relation over every collected file
 * ```
 */
export class LocalCollectedRelations<S extends string> {
  readonly root: string;
  readonly #relations: readonly CollectedRelation<S>[];
  readonly #files = new Map<S, string[]>();
  readonly #scan: boolean;

  /** With `scan` false, the views start empty and read only what `useFiles` gives (loads). */
  constructor(root: string, relations: readonly CollectedRelation<S>[], options: { scan?: boolean } = {}) {
    this.root = root;
    this.#relations = relations;
    this.#scan = options.scan ?? true;
  }

  /** Files each view reads. */
  files(source: S): readonly string[] {
    return this.#files.get(source) ?? [];
  }

  async setup(run: DuckDbRun, warn: (w: EngineWarning) => void): Promise<void> {
    for (const relation of this.#relations) {
      this.#files.set(relation.source, this.#scan ? await scanCollectedFiles(this.root, relation) : []);
      await this.#createView(relation, run, warn);
    }
  }

  /**
   * Points one relation's view at a load batch's files (none when `source` is not one of this
   * source's); the other views read nothing meanwhile.
   */
  async useFiles(
    source: string | undefined,
    files: readonly string[],
    run: DuckDbRun,
    warn: (w: EngineWarning) => void,
  ): Promise<void> {
    for (const relation of this.#relations) {
      this.#files.set(relation.source, relation.source === source ? [...files] : []);
      await this.#createView(relation, run, warn);
    }
  }

  /** Excludes the collected file a failed query names; true when it did. */
  async recover(error: unknown, run: DuckDbRun, warn: (w: EngineWarning) => void): Promise<boolean> {
    const relation = this.#exclude(error, warn);
    if (!relation) return false;
    await this.#createView(relation, run, warn);
    return true;
  }

  #exclude(error: unknown, warn: (w: EngineWarning) => void): CollectedRelation<S> | undefined {
    const message = error instanceof Error ? error.message : String(error);
    const file = FILE_IN_ERROR.map((p) => p.exec(message)?.[1]).find((f) => f !== undefined);
    if (file === undefined) return undefined;
    for (const relation of this.#relations) {
      const files = this.#files.get(relation.source) ?? [];
      const at = files.indexOf(file);
      if (at < 0) continue;
      files.splice(at, 1);
      const reason = (message.split('\n')[0] ?? message).trim();
      warn({ code: 'SOURCE_FILE_SKIPPED', message: `skipped ${file}: ${reason}`, path: file });
      return relation;
    }
    return undefined;
  }

  async #createView(
    relation: CollectedRelation<S>,
    run: DuckDbRun,
    warn: (w: EngineWarning) => void,
  ): Promise<void> {
    for (;;) {
      try {
        await run(collectedViewSql(relation, this.#files.get(relation.source) ?? []));
        return;
      } catch (error) {
        if (this.#exclude(error, warn) !== relation) throw error;
      }
    }
  }
}

/**
 * A collected source's `SourceDefinition.local`: the views over the collector's files under the
 * root, scanned, or over each load batch's files.
 *
 * @example
 * ```ts
 * export const localGlueRelations = collectedRelationsFactory(COLLECTED_RELATIONS);
 * ```
 */
export function collectedRelationsFactory<S extends string>(
  relations: readonly CollectedRelation<S>[],
): LocalRawRelationsFactory {
  return ({ root, scan }) => {
    const views = new LocalCollectedRelations(root ?? '', relations, { scan: scan && root !== undefined });
    return {
      setup: (run, warn) => views.setup(run, warn),
      useFiles: (raw, files, run, warn) => views.useFiles(raw, files, run, warn),
      recover: (error, run, warn) => views.recover(error, run, warn),
    };
  };
}
