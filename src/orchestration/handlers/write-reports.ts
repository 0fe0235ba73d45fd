import { LEDGER_TABLE } from '../../catalog/athena/ledger-ddl.ts';
import type { Engine } from '../../engines/engine.ts';
import { changedTablesAfter, readLedger } from '../../ingest/ledger.ts';
import { SCHEDULED_REPORTS, type ScheduledReport } from '../../reports/scheduled-reports.ts';
import type { HandlerContext } from './handler-context.ts';
import { readMarks } from './run-records.ts';

/** Where the ledger position each report last saw is kept, in the context's store. */
export const REPORT_MARKS_KEY = 'orchestration/report-marks.json';

/** A report's mark: the ledger rows it saw when it was last written, when, and for which day. */
export interface ReportMark {
  readonly ledgerRows: number;
  readonly at: string;
  readonly day: string;
}

/** What `writeReports` did with one report. */
export type ReportOutcome =
  | {
      readonly id: string;
      readonly written: true;
      readonly day: string;
      readonly files: readonly { readonly location: string; readonly rows: number }[];
    }
  | { readonly id: string; readonly written: false; readonly reason: string };

/**
 * Lambda action `writeReports`, after a run's record: each scheduled report whose tables changed
 * since it was last written (the ledger position in its mark, as for the SPICE refreshes) is
 * written again, under `reports/<id>/dt=<day>/` of the store: the data folder locally, the data
 * bucket's prefix on AWS. A run killed before this step, or a report that failed, leaves its
 * mark behind, so the next run writes it. The state machine catches a failure here: a report
 * never fails the loads.
 *
 * @example
 * ```ts
 * await writeReports({ executionName: 'hourly-2026-11-27T13' }, context)
 * // { reports: [{ id: 'identity-center', written: true, day: '2026-11-27', files: [{ location: 's3://lake/lakeq/reports/identity-center/dt=2026-11-27/instances.csv', rows: 6 }, …] }] }
 * ```
 */
export async function writeReports(
  _payload: unknown,
  context: HandlerContext,
  reports: readonly ScheduledReport[] = SCHEDULED_REPORTS,
): Promise<{ reports: ReportOutcome[] }> {
  const { rows: ledger } = await readLedger(context.store);
  const marks = await readMarks<ReportMark>(context.store, REPORT_MARKS_KEY);
  const out: ReportOutcome[] = [];
  let engine: Engine | undefined;
  try {
    for (const report of reports) {
      const since = changedTablesAfter(ledger, marks[report.id]?.ledgerRows ?? 0, LEDGER_TABLE);
      if (!report.tables.some((t) => since.has(t))) {
        out.push({ id: report.id, written: false, reason: 'its tables did not change' });
        continue;
      }
      if (!context.reportEngine) {
        out.push({ id: report.id, written: false, reason: 'no engine to run reports on' });
        continue;
      }
      engine ??= await context.reportEngine();
      const result = await report.write(engine, context.store, `reports/${report.id}/`, context.signal);
      marks[report.id] = { ledgerRows: ledger.length, at: context.now.toISOString(), day: result.day };
      // Each report's mark as soon as it is written: a later report's failure does not redo it.
      await context.store.put(REPORT_MARKS_KEY, JSON.stringify(marks));
      out.push({
        id: report.id,
        written: true,
        day: result.day,
        files: result.files.map((f) => ({ location: f.location, rows: f.rows })),
      });
    }
  } finally {
    await engine?.close();
  }
  return { reports: out };
}
