import { access } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { plainValueConverter } from '../../engines/duckdb/duckdb-types.ts';
import { latestSnapshot, spiceDir } from '../../orchestration/local-spice.ts';

/** One dataset's rows as the local page reads them: column-major names, row-major values. */
export interface SnapshotRows {
  readonly datasetId: string;
  /** The ingestion the rows come from; null while the dataset has no COMPLETED snapshot. */
  readonly ingestionId: string | null;
  readonly createdTime: string | null;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** JSON-friendly values: BIGINT as a number when safe (else a string), timestamps as ISO strings. */
  readonly rows: readonly (readonly unknown[])[];
}

/**
 * Reads the latest COMPLETED local SPICE snapshot of datasets, through DuckDB (opened on first
 * use), and keeps the JSON of each dataset's newest ingestion: a snapshot never changes once
 * COMPLETED, so a new ingestion id is the only reason to read again.
 *
 * @example
 * ```ts
 * const reader = new SnapshotReader('./lakeq-data');
 * const json = await reader.json('lakeq-identity-center-instance-churn-hourly'); // '{"datasetId":...}'
 * await reader.close();
 * ```
 */
export class SnapshotReader {
  readonly #dataDir: string;
  readonly #cache = new Map<string, { ingestionId: string; json: Promise<string> }>();
  #instance: Promise<{ instance: DuckDBInstance; con: DuckDBConnection }> | undefined;
  /** One read at a time on the one connection. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
  }

  /** The dataset's rows as a JSON document (a `SnapshotRows`). */
  async json(datasetId: string): Promise<string> {
    const latest = await latestSnapshot(this.#dataDir, datasetId);
    if (!latest) {
      const empty: SnapshotRows = { datasetId, ingestionId: null, createdTime: null, columns: [], rows: [] };
      return JSON.stringify(empty);
    }
    const { IngestionId, CreatedTime } = latest.ingestion;
    const cached = this.#cache.get(datasetId);
    if (cached?.ingestionId === IngestionId) return cached.json;
    // The status file names an absolute path; a data folder that moved still has the file here.
    const file = path.join(spiceDir(this.#dataDir, datasetId), `${IngestionId}.parquet`);
    const json = this.#read(file).then(({ columns, rows }) =>
      JSON.stringify({ datasetId, ingestionId: IngestionId, createdTime: CreatedTime, columns, rows }),
    );
    this.#cache.set(datasetId, { ingestionId: IngestionId, json });
    json.catch(() => {
      if (this.#cache.get(datasetId)?.json === json) this.#cache.delete(datasetId);
    });
    return json;
  }

  async close(): Promise<void> {
    const opened = this.#instance;
    this.#instance = undefined;
    if (!opened) return;
    const { instance, con } = await opened;
    con.closeSync();
    instance.closeSync();
  }

  async #read(file: string): Promise<Pick<SnapshotRows, 'columns' | 'rows'>> {
    await access(file).catch(() => {
      throw new Error(`snapshot file ${file} is missing`);
    });
    const run = this.#queue.then(async () => {
      const { con } = await this.#open();
      const reader = await con.runAndReadAll(`SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      return {
        columns: names.map((name, i) => ({ name, type: String(types[i]) })),
        rows: reader.convertRows(plainValueConverter),
      };
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #open(): Promise<{ instance: DuckDBInstance; con: DuckDBConnection }> {
    this.#instance ??= (async () => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
      return { instance, con: await instance.connect() };
    })();
    return this.#instance;
  }
}
