/**
 * Every query of the library by id (its path under queries/), each module imported only when
 * asked for. A test keeps this list equal to the file tree, and a bundler (the Lambda) sees
 * every query through it.
 */
// The registry checks each module's default export (a defineQuery with the id of its path).
export const QUERY_MODULES: Readonly<Record<string, () => Promise<{ default: unknown }>>> = {
  'cloudtrail/api-errors-by-principal': () => import('./cloudtrail/api-errors-by-principal.ts'),
  'cloudtrail/events-by-source': () => import('./cloudtrail/events-by-source.ts'),
  'glue/cost-by-job': () => import('./glue/cost-by-job.ts'),
  'glue/dpu-usage-trend': () => import('./glue/dpu-usage-trend.ts'),
  'glue/failures': () => import('./glue/failures.ts'),
  'glue/job-runs': () => import('./glue/job-runs.ts'),
  'glue/longest-runs': () => import('./glue/longest-runs.ts'),
  'glue/most-expensive-runs': () => import('./glue/most-expensive-runs.ts'),
  'glue/run-metrics': () => import('./glue/run-metrics.ts'),
  'glue/week-over-week': () => import('./glue/week-over-week.ts'),
  'identity-center/account-instances-outside-allowlist': () =>
    import('./identity-center/account-instances-outside-allowlist.ts'),
  'identity-center/application-assignments': () => import('./identity-center/application-assignments.ts'),
  'identity-center/applications': () => import('./identity-center/applications.ts'),
  'identity-center/duplicate-users': () => import('./identity-center/duplicate-users.ts'),
  'identity-center/failed-instance-calls': () => import('./identity-center/failed-instance-calls.ts'),
  'identity-center/instance-churn': () => import('./identity-center/instance-churn.ts'),
  'identity-center/instance-events': () => import('./identity-center/instance-events.ts'),
  'identity-center/instances': () => import('./identity-center/instances.ts'),
  'identity-center/instances-created-and-deleted': () =>
    import('./identity-center/instances-created-and-deleted.ts'),
  'identity-center/inventory-vs-churn': () => import('./identity-center/inventory-vs-churn.ts'),
  'security-lake/api-errors-by-principal': () => import('./security-lake/api-errors-by-principal.ts'),
  'security-lake/console-sign-ins-without-mfa': () =>
    import('./security-lake/console-sign-ins-without-mfa.ts'),
  'security-lake/findings-by-account': () => import('./security-lake/findings-by-account.ts'),
  'security-lake/findings-by-control': () => import('./security-lake/findings-by-control.ts'),
  'security-lake/findings-by-product': () => import('./security-lake/findings-by-product.ts'),
  'security-lake/findings-by-severity': () => import('./security-lake/findings-by-severity.ts'),
  'security-lake/findings-per-resource': () => import('./security-lake/findings-per-resource.ts'),
  'security-lake/iam-and-security-group-changes': () =>
    import('./security-lake/iam-and-security-group-changes.ts'),
  'security-lake/identity-center-instance-churn': () =>
    import('./security-lake/identity-center-instance-churn.ts'),
  'security-lake/new-critical-findings': () => import('./security-lake/new-critical-findings.ts'),
  'security-lake/rare-dns-domains': () => import('./security-lake/rare-dns-domains.ts'),
  'security-lake/rejected-flows-by-port': () => import('./security-lake/rejected-flows-by-port.ts'),
  'security-lake/root-activity': () => import('./security-lake/root-activity.ts'),
  'security-lake/top-talkers': () => import('./security-lake/top-talkers.ts'),
  'transforms/security-lake-activity-day': () => import('./transforms/security-lake-activity-day.ts'),
  'transforms/security-findings-day': () => import('./transforms/security-findings-day.ts'),
  'transforms/cloudtrail-events-hour': () => import('./transforms/cloudtrail-events-hour.ts'),
  'transforms/glue-job-metrics-hour': () => import('./transforms/glue-job-metrics-hour.ts'),
  'transforms/glue-job-runs-hour': () => import('./transforms/glue-job-runs-hour.ts'),
  'transforms/identity-center-application-assignments-day': () =>
    import('./transforms/identity-center-application-assignments-day.ts'),
  'transforms/identity-center-applications-day': () =>
    import('./transforms/identity-center-applications-day.ts'),
  'transforms/identity-center-instance-churn-hour': () =>
    import('./transforms/identity-center-instance-churn-hour.ts'),
  'transforms/identity-center-instances-day': () => import('./transforms/identity-center-instances-day.ts'),
  'transforms/identity-center-users-day': () => import('./transforms/identity-center-users-day.ts'),
};
