import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';

const USAGE = `Usage: lakeq ddl --trail-bucket B --accounts 111122223333,... --regions us-east-1,... --start-date YYYY-MM-DD
                 --data-bucket B [--trail-prefix P] [--organization o-...] [--data-prefix P] [--database lakeq]
Prints the Athena DDL of the catalog: the raw cloudtrail_logs table (partition projection over the
trail's bucket), the cloudtrail_events_raw view, the raw Glue collector tables
(glue_job_runs_collected, glue_job_metrics_collected over s3://<data-bucket>/<data-prefix>/raw/glue/,
projected from --start-date), the raw Identity Center snapshot tables (identity_center_*_collected over
s3://<data-bucket>/<data-prefix>/raw/identity-center/), the curated tables and the run ledger (lakeq_runs).`;

/** `lakeq ddl`: the statements that create lakeq's tables in Athena, to run once per database. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'trail-bucket': { type: 'string' },
      'trail-prefix': { type: 'string' },
      organization: { type: 'string' },
      accounts: { type: 'string' },
      regions: { type: 'string' },
      'start-date': { type: 'string' },
      'data-bucket': { type: 'string' },
      'data-prefix': { type: 'string' },
      database: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const need = ['trail-bucket', 'accounts', 'regions', 'start-date', 'data-bucket'] as const;
  const missing = need.filter((k) => !values[k]);
  if (missing.length > 0) {
    throw new LakeqError('BAD_OPTION', `missing ${missing.map((m) => `--${m}`).join(', ')}\n${USAGE}`, {
      usage: true,
    });
  }
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const { cloudTrailLogsDdl, cloudTrailEventsRawViewSql } = await import(
    '../../sources/cloudtrail/raw-athena.ts'
  );
  const { curatedTableDdl } = await import('../../catalog/athena/curated-table-ddl.ts');
  const { collectedTablesDdl } = await import('../../sources/glue/raw-athena.ts');
  const { snapshotTablesDdl } = await import('../../sources/identity-center/raw-athena.ts');
  const { TABLES } = await import('../../catalog/tables/index.ts');
  const { ledgerTableDdl } = await import('../../catalog/athena/ledger-ddl.ts');
  const statements: string[] = [];
  try {
    statements.push(
      cloudTrailLogsDdl({
        bucket: values['trail-bucket'] as string,
        ...(values['trail-prefix'] ? { prefix: values['trail-prefix'] } : {}),
        ...(values.organization ? { organizationId: values.organization } : {}),
        accounts: list(values.accounts as string),
        regions: list(values.regions as string),
        startDate: values['start-date'] as string,
      }),
      cloudTrailEventsRawViewSql(),
    );
    const target = {
      bucket: values['data-bucket'] as string,
      prefix: values['data-prefix'] ?? '',
      database: values.database ?? 'lakeq',
    };
    statements.push(...collectedTablesDdl(target, { startDate: values['start-date'] as string }));
    statements.push(...snapshotTablesDdl(target, { startDate: values['start-date'] as string }));
    for (const table of TABLES) statements.push(curatedTableDdl(table, target));
    statements.push(ledgerTableDdl(target));
  } catch (error) {
    if (error instanceof LakeqError) throw error;
    throw new LakeqError('BAD_OPTION', (error as Error).message, { usage: true });
  }
  io.out(statements.map((s) => `${s.trim().replace(/;$/, '')};`).join('\n\n'));
  return 0;
}
