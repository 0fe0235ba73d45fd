import type { Engine } from '../engines/engine.ts';
import type { ObjectStore } from '../storage/object-store.ts';

/**
 * A report the state machines write after a run that changed the tables it reads: on AWS into
 * the data bucket (`s3://<bucket>/<prefix>/reports/<id>/dt=<day>/`), locally into the data
 * folder (`lakeq-data/reports/<id>/dt=<day>/`). `lakeq report <id>` writes the same files on demand.
 *
 * @example
 * ```ts
 * const report = SCHEDULED_REPORTS[0];
 * await report.write(engine, context.store, 'reports/identity-center/')
 * // { day: '2026-11-08', files: [{ file: 'instances.csv', location: 's3://lake/lakeq/reports/identity-center/dt=2026-11-08/instances.csv', rows: 6 }, …] }
 * ```
 */
export interface ScheduledReport {
  readonly id: string;
  /** A load that changes one of these tables writes the report again. */
  readonly tables: readonly string[];
  /** Writes the report's files under `prefix` of `store`; answers the day they describe and the files. */
  write(
    engine: Engine,
    store: ObjectStore,
    prefix: string,
    signal?: AbortSignal,
  ): Promise<{
    readonly day: string;
    readonly files: readonly { readonly file: string; readonly location: string; readonly rows: number }[];
  }>;
}

/** Every scheduled report. */
export const SCHEDULED_REPORTS: readonly ScheduledReport[] = [
  {
    // The blog post's Lambda writes its CSVs each day; here the daily snapshot's load does.
    id: 'identity-center',
    tables: [
      'identity_center_instances',
      'identity_center_users',
      'identity_center_applications',
      'identity_center_application_assignments',
    ],
    write: async (engine, store, prefix, signal) => {
      const { writeIdentityCenterReport } = await import('./identity-center-report.ts');
      return writeIdentityCenterReport(engine, store, {
        keyOf: (day, file) => `${prefix}dt=${day}/${file}`,
        ...(signal ? { signal } : {}),
      });
    },
  },
];
