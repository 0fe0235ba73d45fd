import { CompiledQuery } from 'kysely';
import { type Engine, type EngineResult, LakeqError } from '../engines/engine.ts';
import type { FindingsFilter } from './findings-filter.ts';
import { FINDING_COLUMNS, type FindingRow } from './findings-row.ts';

/** The Security Lake view the report reads (OCSF findings of source versions 1 and 2, one set of columns). */
export const OCSF_FINDINGS_VIEW = 'ocsf_findings';

const timestamp = (d: Date) => `TIMESTAMP '${d.toISOString().replace('T', ' ').replace('Z', '')}'`;

/**
 * The Trino SQL (Athena, and DuckDB through lakeq's rewrite) of the report over `ocsf_findings`:
 * the latest record of each `finding_uid` (Security Lake stores every update of a finding), as
 * of `to` when a window is given, kept when its record state is ACTIVE, of a chosen severity,
 * last observed in the window. The severity label comes from `severity_id` (OCSF: 1
 * Informational … 5 Critical, 6 Fatal, shown as CRITICAL), else from the `severity` text.
 * Only validated dates and fixed labels are put into the text.
 *
 * @example
 * ```ts
 * securityLakeFindingsSql({ severities: ['CRITICAL'] }) // 'WITH latest AS (SELECT …, row_number() OVER (PARTITION BY finding_uid ORDER BY time DESC) …'
 * ```
 */
export function securityLakeFindingsSql(filter: FindingsFilter, view = OCSF_FINDINGS_VIEW): string {
  const before = filter.to ? `WHERE time < ${timestamp(filter.to)}` : '';
  const where = ["upper(record_state) = 'ACTIVE'"];
  if (filter.severities && filter.severities.length > 0)
    where.push(`severity_label IN (${filter.severities.map((s) => `'${s}'`).join(', ')})`);
  if (filter.from) where.push(`last_observed >= ${timestamp(filter.from)}`);
  if (filter.to) where.push(`last_observed < ${timestamp(filter.to)}`);
  return `WITH latest AS (
  SELECT
    account_id, region, product_name, finding_title, severity, severity_id, workflow_status,
    record_state, compliance_status, control_id, resource_type, resource_uid, first_observed,
    last_observed, remediation_url, finding_uid,
    CASE severity_id
      WHEN 1 THEN 'INFORMATIONAL' WHEN 2 THEN 'LOW' WHEN 3 THEN 'MEDIUM' WHEN 4 THEN 'HIGH'
      WHEN 5 THEN 'CRITICAL' WHEN 6 THEN 'CRITICAL'
      ELSE upper(severity)
    END AS severity_label,
    row_number() OVER (PARTITION BY finding_uid ORDER BY time DESC) AS version_rank
  FROM ${view}
  ${before}
)
SELECT
  account_id, region, product_name, finding_title AS title, severity_label AS severity,
  upper(workflow_status) AS workflow_status, upper(record_state) AS record_state,
  upper(compliance_status) AS compliance_status, control_id, resource_type,
  resource_uid AS resource_id, first_observed, last_observed, remediation_url,
  finding_uid AS finding_id
FROM latest
WHERE version_rank = 1 AND ${where.join(' AND ')}`;
}

/** A cell as the report shows it: times as ISO 8601 UTC, the rest as text, absent as null. */
function cell(column: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.toISOString();
  if (column === 'first_observed' || column === 'last_observed') {
    const text = String(value);
    // DuckDB and Athena print a timestamp without a zone as `2026-11-27 13:05:00.000`: UTC.
    const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
    return Number.isNaN(ms) ? text : new Date(ms).toISOString();
  }
  return String(value);
}

/**
 * The report's rows from Security Lake's `ocsf_findings` view, on any engine that has it (the
 * local DuckDB catalog, Athena). A missing view fails with one line saying what to set up.
 *
 * @example
 * ```ts
 * const rows = await securityLakeFindings(engine, { from: new Date('2026-11-23'), to: new Date('2026-11-30') });
 * ```
 */
export async function securityLakeFindings(
  engine: Engine,
  filter: FindingsFilter,
  options: { readonly view?: string; readonly signal?: AbortSignal } = {},
): Promise<FindingRow[]> {
  const view = options.view ?? OCSF_FINDINGS_VIEW;
  let result: EngineResult;
  try {
    result = await engine.execute(CompiledQuery.raw(securityLakeFindingsSql(filter, view)), {
      tag: { queryId: 'reports/findings', version: '1' },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (message.includes(view) && /does not exist|not found|not exist|cannot be resolved/i.test(message))
      throw new LakeqError(
        'NO_SECURITY_LAKE',
        `Security Lake's ${view} view is not there (${message.split('\n')[0]}): set sources["security-lake"] (or deploy its views with lakeq deploy), or read the Security Hub API instead`,
        { cause: error },
      );
    throw error;
  }
  if (result.rows.length === 0) {
    // No finding in the window, or no findings at all: a lake folder that is missing or empty
    // must not pass for a clean report.
    const any = await engine.execute(CompiledQuery.raw(`SELECT 1 AS found FROM ${view} LIMIT 1`), {
      tag: { queryId: 'reports/findings', version: '1' },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (any.rows.length === 0)
      throw new LakeqError(
        'NO_SECURITY_LAKE',
        `Security Lake's ${view} view has no findings at all (no Security Hub findings table of source version 1 or 2 was found): set sources["security-lake"] to the folder of Security Lake's aws/ prefix, or read the Security Hub API instead`,
      );
  }
  return result.rows.map(
    (r) => Object.fromEntries(FINDING_COLUMNS.map((c) => [c, cell(c, r[c])])) as FindingRow,
  );
}
