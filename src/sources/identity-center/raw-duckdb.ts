import { glob } from 'node:fs/promises';
import path from 'node:path';
import { parseHiveType, toDuckDbType } from '../../catalog/hive-types.ts';
import type { DuckDbRun } from '../../engines/duckdb/duckdb-dialect-config.ts';
import type { EngineWarning } from '../../engines/engine.ts';
import type { LocalRawRelationsFactory } from '../source-definition.ts';
import {
  IDENTITY_CENTER_RELATIONS,
  type IdentityCenterCollectedSource,
  type IdentityCenterRelation,
  isIdentityCenterSource,
  rawColumnType,
} from './schema.ts';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** `dt` and `hour` from the file's folders, not DuckDB's hive detection (which would also read the root's `a=b` folders). */
const PARTITION_IN_PATH = String.raw`dt=([0-9]{4}-[0-9]{2}-[0-9]{2})[/\\]hour=([0-9]{2})[/\\][^/\\]*$`;

/**
 * The DuckDB view of a collected Identity Center relation over exactly `files`: the collected keys
 * with their raw types (timestamps as the collector's ISO text, e-mails as a list), then `dt` and
 * `hour` of the file's folder, as the Athena table has them. No file → an empty view with the
 * same columns, not an error.
 *
 * @example
 * ```ts
 * snapshotViewSql(IDENTITY_CENTER_USERS, ['/d/raw/identity-center/users/dt=2026-11-27/hour=00/users.json'])
 * // CREATE OR REPLACE VIEW "identity_center_users_collected" AS SELECT "instance_arn", …, dt, hour FROM read_json([…], columns = {…})
 * ```
 */
export function snapshotViewSql(relation: IdentityCenterRelation, files: readonly string[]): string {
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

/** The snapshot files of a relation under the root, every day (`lakeq sql`, queries). */
export async function scanSnapshotFiles(root: string, relation: IdentityCenterRelation): Promise<string[]> {
  const dir = path.join(root, relation.folder);
  const out: string[] = [];
  for await (const file of glob('dt=*/hour=*/*.json', { cwd: dir })) out.push(path.join(dir, file));
  return out.sort();
}

const FILE_IN_ERROR = [/ in file "([^"]+)"/, /(?:file|File) "([^"]+)"/];

/**
 * The local views of the collected Identity Center relations (`identity_center_instances_collected`,
 * `…_users_collected`, `…_applications_collected`, `…_application_assignments_collected`). A
 * file DuckDB cannot read is excluded, named in a `SOURCE_FILE_SKIPPED` warning, and the query
 * runs again over the rest, as the other sources' files are.
 *
 * @example
 * ```ts
 * const source = new LocalIdentityCenterSource('./lakeq-data/raw/identity-center');
 * await source.setup(run, warn); // the four views over every snapshot
 * ```
 */
export class LocalIdentityCenterSource {
  readonly root: string;
  readonly #files = new Map<IdentityCenterCollectedSource, string[]>();
  readonly #scan: boolean;

  /** With `scan` false, the views start empty and read only what `useFiles` gives (loads). */
  constructor(root: string, options: { scan?: boolean } = {}) {
    this.root = root;
    this.#scan = options.scan ?? true;
  }

  /** Files each view reads. */
  files(source: IdentityCenterCollectedSource): readonly string[] {
    return this.#files.get(source) ?? [];
  }

  async setup(run: DuckDbRun, warn: (w: EngineWarning) => void): Promise<void> {
    for (const relation of IDENTITY_CENTER_RELATIONS) {
      this.#files.set(relation.source, this.#scan ? await scanSnapshotFiles(this.root, relation) : []);
      await this.#createView(relation, run, warn);
    }
  }

  /** Points one relation's view at a load batch's files (none when `source` is not one of its own); the other views read nothing meanwhile. */
  async useFiles(
    source: string | undefined,
    files: readonly string[],
    run: DuckDbRun,
    warn: (w: EngineWarning) => void,
  ): Promise<void> {
    const own = source !== undefined && isIdentityCenterSource(source) ? source : undefined;
    for (const relation of IDENTITY_CENTER_RELATIONS) {
      this.#files.set(relation.source, relation.source === own ? [...files] : []);
      await this.#createView(relation, run, warn);
    }
  }

  /** Excludes the snapshot file a failed query names; true when it did. */
  async recover(error: unknown, run: DuckDbRun, warn: (w: EngineWarning) => void): Promise<boolean> {
    const relation = this.#exclude(error, warn);
    if (!relation) return false;
    await this.#createView(relation, run, warn);
    return true;
  }

  #exclude(error: unknown, warn: (w: EngineWarning) => void): IdentityCenterRelation | undefined {
    const message = error instanceof Error ? error.message : String(error);
    const file = FILE_IN_ERROR.map((p) => p.exec(message)?.[1]).find((f) => f !== undefined);
    if (file === undefined) return undefined;
    for (const relation of IDENTITY_CENTER_RELATIONS) {
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
    relation: IdentityCenterRelation,
    run: DuckDbRun,
    warn: (w: EngineWarning) => void,
  ): Promise<void> {
    for (;;) {
      try {
        await run(snapshotViewSql(relation, this.#files.get(relation.source) ?? []));
        return;
      } catch (error) {
        if (this.#exclude(error, warn) !== relation) throw error;
      }
    }
  }
}

/**
 * Identity Center's local raw relations (`SourceDefinition.local`): the views over the
 * collector's snapshot files under the root, scanned, or over each load batch's files.
 *
 * @example
 * ```ts
 * const relations = localIdentityCenterRelations({ root: './lakeq-data/raw/identity-center', scan: false });
 * ```
 */
export const localIdentityCenterRelations: LocalRawRelationsFactory = ({ root, scan }) => {
  const source = new LocalIdentityCenterSource(root ?? '', { scan: scan && root !== undefined });
  return {
    setup: (run, warn) => source.setup(run, warn),
    useFiles: (raw, files, run, warn) => source.useFiles(raw, files, run, warn),
    recover: (error, run, warn) => source.recover(error, run, warn),
  };
};
