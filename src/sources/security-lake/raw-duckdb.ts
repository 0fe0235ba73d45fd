import { CompiledQuery } from 'kysely';
import { type HiveType, parseHiveType, toDuckDbType } from '../../catalog/hive-types.ts';
import type { RawSourceName } from '../../catalog/table-definition.ts';
import type { DuckDbRun } from '../../engines/duckdb/duckdb-dialect-config.ts';
import { localSqlCandidates } from '../../engines/duckdb/duckdb-local-sql.ts';
import type { LocalRawRelationsFactory, WarnFn } from '../source-definition.ts';
import { checkLakeFiles, type LakeFile, type SkippedFile, scanSecurityLake } from './raw-duckdb-files.ts';
import {
  isSecurityLakeRawSource,
  SECURITY_LAKE_RAW_SOURCES,
  type SecurityLakeTable,
  securityLakeDatabase,
  securityLakeTable,
  securityLakeTableName,
} from './schema.ts';
import { OCSF_VIEWS, ocsfViewSelect, type PresentTable, viewColumns } from './schema-views.ts';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const FILE_IN_ERROR = [/ in file "([^"]+)"/, /(?:file|File) "([^"]+)"/, /file '([^']+)'/];
const TABLE_IN_PATH = /[/\\]aws[/\\]([A-Z0-9_]+)[/\\]([0-9]\.[0-9])[/\\]/;

/**
 * The local view of one Security Lake table in one Region, in the schema named like its Glue
 * database: the table's declared columns cast from whatever subset each file holds (a column no
 * file has is NULL; struct fields are matched by name), then the partitions `region`,
 * `accountid` and `eventday` from the file's folders.
 */
export function lakeTableViewSql(
  region: string,
  table: SecurityLakeTable,
  files: readonly LakeFile[],
): string {
  const present = new Set(files.flatMap((f) => f.columns));
  const select = table.columns.map((c) => {
    const type = toDuckDbType(parseHiveType(c.type));
    return `CAST(${present.has(c.name) ? ident(c.name) : 'NULL'} AS ${type}) AS ${ident(c.name)}`;
  });
  const list = `[${files.map((f) => sqlString(f.path)).join(', ')}]`;
  const name = `${ident(securityLakeDatabase(region))}.${ident(securityLakeTableName(region, table))}`;
  // DuckDB's own hive partitions (the folders were checked by the scan): a filter on eventday then
  // skips the other days' files without opening them. `union_by_name` reads every file's footer
  // each time a query binds the view, most of a query's time over many small files: only files
  // whose columns differ need it.
  return `CREATE OR REPLACE VIEW ${name} AS SELECT ${select.join(', ')},
    region, accountId AS accountid, eventDay AS eventday
  FROM read_parquet(${list}, union_by_name = ${sameColumns(files) ? 'false' : 'true'}, hive_partitioning = true,
    hive_types = {'region': 'VARCHAR', 'accountId': 'VARCHAR', 'eventDay': 'VARCHAR'})`;
}

/** Whether the files have the same top-level columns, in the same order, each of the same shape. */
export function sameColumns(files: readonly Pick<LakeFile, 'columns' | 'shapes'>[]): boolean {
  const [first, ...rest] = files;
  if (!first) return true;
  const key = (f: Pick<LakeFile, 'columns' | 'shapes'>) =>
    JSON.stringify(f.columns.map((c) => [c, f.shapes[c] ?? '']));
  const expected = key(first);
  return rest.every((f) => key(f) === expected);
}

/** A declared type's shape, as `shapeOf` gives a Parquet column's (names and nesting). */
export function shapeOfHive(type: HiveType): string {
  switch (type.kind) {
    case 'struct':
      return `{${type.fields
        .map((f) => `${f.name}:${shapeOfHive(f.type)}`)
        .sort()
        .join(',')}}`;
    case 'array':
      return `[${shapeOfHive(type.element)}]`;
    case 'map':
      return `<${shapeOfHive(type.value)}>`;
    default:
      return '*';
  }
}

/**
 * An OCSF view for DuckDB: the Trino definition (schema-views.ts) through lakeq's rewrite.
 *
 * @example
 * ```ts
 * localOcsfViewSql(OCSF_VIEWS[3], present) // 'CREATE OR REPLACE VIEW ocsf_findings AS SELECT …'
 * ```
 */
export function localOcsfViewSql(
  view: (typeof OCSF_VIEWS)[number],
  present: readonly PresentTable[],
): string {
  const mine = present.filter(
    (p) => view.sources.includes(p.table.source) && view.classes[p.table.version].length > 0,
  );
  if (mine.length === 0) {
    // Over no table: the view's columns and types, with no row, in DuckDB's own casts (the
    // rewrite's Trino-exact casts are macros, slow to bind, for NULLs that never show).
    const nulls = viewColumns(view).map(
      (c) => `CAST(NULL AS ${toDuckDbType(parseHiveType(c.type))}) AS ${ident(c.name)}`,
    );
    return `CREATE OR REPLACE VIEW ${ident(view.name)} AS SELECT ${nulls.join(', ')} WHERE false`;
  }
  const trino = ocsfViewSelect(view, present);
  // The rewrite of a wide view takes a while; a lake's views are made again for each engine.
  let sql = REWRITTEN.get(trino);
  if (sql === undefined) {
    const [local] = localSqlCandidates(CompiledQuery.raw(trino));
    sql = `CREATE OR REPLACE VIEW ${ident(view.name)} AS\n${local?.sql}`;
    if (REWRITTEN.size > 256) REWRITTEN.clear();
    REWRITTEN.set(trino, sql);
  }
  return sql;
}

const REWRITTEN = new Map<string, string>();

/** The table a file's folders name (`…/aws/SH_FINDINGS/2.0/…`), if lakeq reads it. */
export function tableOfPath(file: string): SecurityLakeTable | undefined {
  const m = TABLE_IN_PATH.exec(file);
  return m?.[1] && m[2] ? securityLakeTable(m[1], m[2]) : undefined;
}

/**
 * The local Security Lake relations: a view per table and Region found (the Glue names, so an
 * Athena query for Security Lake runs as it is), and the seven OCSF views over them. A file
 * DuckDB fails on is left out, named, and the query runs again.
 */
export class LocalSecurityLake {
  readonly #root: string | undefined;
  readonly #scan: boolean;
  #files: LakeFile[] = [];
  #made: string[] = [];
  /** The files the views were last made over; undefined before the first time. */
  #madeOver: string | undefined;
  readonly #skipped: SkippedFile[] = [];

  constructor(root: string | undefined, scan: boolean) {
    this.#root = root;
    this.#scan = scan;
  }

  get skipped(): readonly SkippedFile[] {
    return this.#skipped;
  }

  async setup(run: DuckDbRun, warn: WarnFn): Promise<void> {
    const scan =
      this.#scan && this.#root !== undefined
        ? await scanSecurityLake(this.#root)
        : { files: [], skipped: [] };
    this.#files = scan.files;
    for (const s of scan.skipped) this.#skip(s, warn);
    await this.#createViews(run, warn);
  }

  async useFiles(
    raw: RawSourceName | undefined,
    files: readonly string[],
    run: DuckDbRun,
    warn: WarnFn,
  ): Promise<void> {
    const sources: readonly string[] =
      raw !== undefined && isSecurityLakeRawSource(raw) ? SECURITY_LAKE_RAW_SOURCES[raw] : [];
    const candidates = files.flatMap((f) => {
      const table = tableOfPath(f);
      return table && sources.includes(table.source) ? [{ path: f, table }] : [];
    });
    const scan = await checkLakeFiles(candidates);
    this.#files = scan.files;
    this.#skipped.length = 0;
    for (const s of scan.skipped) this.#skip(s, warn);
    await this.#createViews(run, warn);
  }

  async recover(error: unknown, run: DuckDbRun, warn: WarnFn): Promise<boolean> {
    if (!this.#exclude(error, warn)) return false;
    await this.#createViews(run, warn);
    return true;
  }

  #exclude(error: unknown, warn: WarnFn): boolean {
    const message = error instanceof Error ? error.message : String(error);
    let named: LakeFile | undefined;
    for (const f of this.#files)
      if (message.includes(f.path) && f.path.length > (named?.path.length ?? 0)) named = f;
    if (!named) {
      for (const pattern of FILE_IN_ERROR) {
        const m = pattern.exec(message);
        named = this.#files.find((f) => f.path === m?.[1]);
        if (named) break;
      }
    }
    if (!named) return false;
    const gone = named;
    this.#files = this.#files.filter((f) => f !== gone);
    this.#skip({ path: gone.path, reason: (message.split('\n')[0] ?? message).trim() }, warn);
    return true;
  }

  #skip(skipped: SkippedFile, warn: WarnFn): void {
    this.#skipped.push(skipped);
    warn({
      code: 'SOURCE_FILE_SKIPPED',
      message: `skipped ${skipped.path}: ${skipped.reason}`,
      path: skipped.path,
    });
  }

  async #createViews(run: DuckDbRun, warn: WarnFn): Promise<void> {
    // A load repoints every source's views for each batch: nothing to do when these files did not change.
    const over = this.#files.map((f) => f.path).join('\n');
    if (over === this.#madeOver) return;
    for (;;) {
      try {
        const groups = new Map<string, { region: string; table: SecurityLakeTable; files: LakeFile[] }>();
        for (const f of this.#files) {
          const key = securityLakeTableName(f.region, f.table);
          const group = groups.get(key) ?? { region: f.region, table: f.table, files: [] };
          group.files.push(f);
          groups.set(key, group);
        }
        const made: string[] = [];
        for (const g of groups.values()) {
          await run(`CREATE SCHEMA IF NOT EXISTS ${ident(securityLakeDatabase(g.region))}`);
          await run(lakeTableViewSql(g.region, g.table, g.files));
          made.push(
            `${ident(securityLakeDatabase(g.region))}.${ident(securityLakeTableName(g.region, g.table))}`,
          );
        }
        for (const old of this.#made) if (!made.includes(old)) await run(`DROP VIEW IF EXISTS ${old}`);
        this.#made = made;
        const present = [...groups.values()].map((g) => ({ region: g.region, table: g.table }));
        for (const view of OCSF_VIEWS) await run(localOcsfViewSql(view, present));
        this.#madeOver = this.#files.map((f) => f.path).join('\n');
        return;
      } catch (error) {
        if (!this.#exclude(error, warn)) throw error;
      }
    }
  }
}

/**
 * Security Lake's local raw relations (`SourceDefinition.local`): the per-Region tables found under
 * the lake folder, scanned, or a load batch's files, and the OCSF views over them.
 *
 * @example
 * ```ts
 * const relations = localSecurityLakeRelations({ root: './lakeq-data/raw/security-lake', scan: true });
 * ```
 */
export const localSecurityLakeRelations: LocalRawRelationsFactory = ({ root, scan }) => {
  const lake = new LocalSecurityLake(root, scan);
  return {
    setup: (run, warn) => lake.setup(run, warn),
    useFiles: (raw, files, run, warn) => lake.useFiles(raw, files, run, warn),
    recover: (error, run, warn) => lake.recover(error, run, warn),
  };
};
