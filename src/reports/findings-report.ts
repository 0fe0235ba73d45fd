import path from 'node:path';
import type { AwsRetryOptions } from '../engines/aws-retry.ts';
import type { Engine } from '../engines/engine.ts';
import { localFolderStore } from '../storage/local-folder-store.ts';
import { findingRowFromAsff, latestFindings } from './asff-finding.ts';
import { toCsv } from './csv.ts';
import { capturedFindings } from './findings-captured.ts';
import { type FindingsFilter, keepsFinding } from './findings-filter.ts';
import { compareFindingRows, FINDING_COLUMNS, type FindingRow, SEVERITY_LABELS } from './findings-row.ts';
import type { SecurityHubLike } from './findings-securityhub.ts';

/** The report's file formats: RFC 4180 CSV (the post's), or a JSON array of rows. */
export const FINDINGS_FORMATS = ['csv', 'json'] as const;
export type FindingsFormat = (typeof FINDINGS_FORMATS)[number];

/**
 * Where the findings come from: the Security Hub API (GetFindings), a folder of captured
 * GetFindings responses or Security Hub events, or Security Lake's `ocsf_findings` view on an
 * engine (local DuckDB or Athena).
 */
export type FindingsInput =
  | {
      readonly kind: 'security-hub';
      readonly client: SecurityHubLike;
      readonly region?: string;
      readonly retry?: AwsRetryOptions;
    }
  | { readonly kind: 'captured'; readonly dir: string }
  | { readonly kind: 'security-lake'; readonly engine: Engine; readonly view?: string };

/**
 * The report: its rows in order, and what was read to make it.
 *
 * @example
 * ```ts
 * // { rows: [...], read: 57, input: 'Security Hub GetFindings (3 pages)', warnings: [] }
 * ```
 */
export interface FindingsReport {
  readonly rows: readonly FindingRow[];
  /** Findings (or OCSF rows' latest states) the input gave before the report's filter. */
  readonly read: number;
  /** The input, for the summary line. */
  readonly input: string;
  /** Files or findings named and skipped. */
  readonly warnings: readonly string[];
}

/**
 * Reads the findings of `input` that the filter keeps: one row per active finding, its latest
 * state, most severe first. Security Hub and Security Lake apply the filter themselves; the
 * captured responses are filtered here, by the same rule.
 *
 * @example
 * ```ts
 * const report = await findingsReport({ kind: 'captured', dir: './captures' }, { severities: ['CRITICAL', 'HIGH'] });
 * report.rows.length // active critical and high findings
 * ```
 */
export async function findingsReport(
  input: FindingsInput,
  filter: FindingsFilter,
  options: { readonly signal?: AbortSignal } = {},
): Promise<FindingsReport> {
  const signal = options.signal ? { signal: options.signal } : {};
  let rows: FindingRow[];
  let read: number;
  let described: string;
  let warnings: string[] = [];
  switch (input.kind) {
    case 'security-hub': {
      const { securityHubFindings } = await import('./findings-securityhub.ts');
      const { findings, pages } = await securityHubFindings(input.client, filter, {
        ...signal,
        ...(input.retry ? { retry: input.retry } : {}),
      });
      const latest = latestFindings(findings);
      read = latest.length;
      rows = latest.map(findingRowFromAsff);
      described = `Security Hub GetFindings${input.region ? ` in ${input.region}` : ''} (${pages} page${pages === 1 ? '' : 's'})`;
      break;
    }
    case 'captured': {
      const captured = await capturedFindings(input.dir);
      const latest = latestFindings(captured.findings);
      read = latest.length;
      rows = latest.map(findingRowFromAsff);
      warnings = captured.warnings;
      described = `${captured.files} captured file${captured.files === 1 ? '' : 's'} in ${input.dir}`;
      break;
    }
    case 'security-lake': {
      const { securityLakeFindings } = await import('./findings-security-lake.ts');
      rows = await securityLakeFindings(input.engine, filter, {
        ...(input.view ? { view: input.view } : {}),
        ...signal,
      });
      read = rows.length;
      described = `Security Lake's ${input.view ?? 'ocsf_findings'} on ${input.engine.name}`;
      break;
    }
  }
  return {
    rows: rows.filter((r) => keepsFinding(filter, r)).sort(compareFindingRows),
    read,
    input: described,
    warnings,
  };
}

/**
 * The report file's text: RFC 4180 CSV with a header row, or a JSON array of row objects.
 *
 * @example
 * ```ts
 * renderFindings(report.rows, 'csv') // 'account_id,region,product_name,title,…\r\n123456789012,eu-west-1,…\r\n'
 * ```
 */
export function renderFindings(rows: readonly FindingRow[], format: FindingsFormat): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  return toCsv(rows, FINDING_COLUMNS);
}

/**
 * How many rows of each severity, most severe first, for the summary line and the mail.
 *
 * @example
 * ```ts
 * severityCounts(rows) // '2 CRITICAL, 5 HIGH, 1 MEDIUM'
 * ```
 */
export function severityCounts(rows: readonly FindingRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows)
    counts.set(r.severity ?? 'no severity', (counts.get(r.severity ?? 'no severity') ?? 0) + 1);
  const order = [
    ...SEVERITY_LABELS,
    ...[...counts.keys()].filter((k) => !(SEVERITY_LABELS as readonly string[]).includes(k)),
  ];
  return order.flatMap((s) => (counts.has(s) ? [`${counts.get(s)} ${s}`] : [])).join(', ') || 'none';
}

/**
 * Writes the report to a local file whole or not at all (a temporary file renamed into place),
 * so a reader never sees half of one.
 *
 * @example
 * ```ts
 * await writeFindingsFile('./findings.csv', renderFindings(report.rows, 'csv'))
 * ```
 */
export async function writeFindingsFile(file: string, body: string): Promise<string> {
  const absolute = path.resolve(file);
  await localFolderStore(path.dirname(absolute)).put(path.basename(absolute), body);
  return absolute;
}
