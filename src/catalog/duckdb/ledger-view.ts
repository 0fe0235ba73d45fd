import { access } from 'node:fs/promises';
import path from 'node:path';
import { LEDGER_COLUMNS, LEDGER_TABLE } from '../athena/ledger-ddl.ts';
import { parseHiveType, toDuckDbType } from '../hive-types.ts';

/** The ledger columns only some rows have; every other one is in every row a load writes. */
const OPTIONAL = new Set(['checksum', 'bytesScanned', 'error', 'dropped']);
const REQUIRED = LEDGER_COLUMNS.map((c) => c.name).filter((n) => !OPTIONAL.has(n));

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * The local `lakeq_runs`: the run ledger (`<dataDir>/ledger/runs.ndjson`) as a view with the
 * Athena table's columns, so the pipeline-health dataset reads the same relation in both places.
 * A line cut short by a crash, or one missing a field every row has (read as NULLs), is
 * skipped, as `readLedger` does; no ledger yet is an empty view.
 *
 * @example
 * ```ts
 * await run(await ledgerViewSql('./lakeq-data'));
 * // SELECT "table", "status", "rows" FROM lakeq_runs
 * ```
 */
export async function ledgerViewSql(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'ledger', 'runs.ndjson');
  const typed = LEDGER_COLUMNS.map((c) => ({ name: c.name, type: toDuckDbType(parseHiveType(c.type)) }));
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const empty = typed.map((c) => `CAST(NULL AS ${c.type}) AS ${ident(c.name)}`).join(', ');
    return `CREATE OR REPLACE VIEW ${LEDGER_TABLE} AS SELECT ${empty} WHERE false`;
  }
  const columns = typed.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ');
  return `CREATE OR REPLACE VIEW ${LEDGER_TABLE} AS SELECT ${typed.map((c) => ident(c.name)).join(', ')}
    FROM read_json(${sqlString(file)}, format = 'newline_delimited', ignore_errors = true, columns = {${columns}})
    WHERE ${REQUIRED.map((c) => `${ident(c)} IS NOT NULL`).join(' AND ')}`;
}
