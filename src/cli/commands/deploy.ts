import { parseArgs } from 'node:util';
import { withAwsErrors } from '../aws-errors.ts';
import type { CliIO } from '../io.ts';
import { settingsFrom } from '../options.ts';

const USAGE = `Usage: lakeq deploy [--dry-run] [--deploy-config FILE] [--config FILE] [--region R]
Creates or updates lakeq on AWS, idempotently: the Glue database and tables, the cloudtrail_events_raw
view, the Athena work group and a named query per library query, the Lambda function (bundled from
src/), the state machines of statemachines/, the hourly EventBridge schedule, the findings report's
SNS topic, e-mail subscriptions and weekly schedule, and the QuickSight data source and SPICE datasets. Prints the plan first; --dry-run stops there (read-only calls only).

Settings come from lakeq.deploy.json (or --deploy-config FILE), with region, profile and Athena
database from lakeq.config.json / AWS_REGION / AWS_PROFILE:
  {
    "accountId": "111122223333",             required
    "region": "eu-west-1",                   default: the lakeq settings' region
    "data": { "bucket": "my-lake", "prefix": "lakeq" },
    "trail": { "bucket": "my-trail", "accounts": ["111122223333"], "regions": ["eu-west-1"],
               "startDate": "2026-01-01", "prefix": "…", "organizationId": "o-…" },
    "roles": { "stateMachine": "arn:aws:iam::111122223333:role/lakeq-states",
               "lambda": "arn:aws:iam::111122223333:role/lakeq-lambda",
               "scheduler": "arn:aws:iam::111122223333:role/lakeq-scheduler",
               "quicksightAthena": "(optional) role QuickSight uses for Athena" },
    "workGroup": "lakeq", "resultsLocation": "s3://my-lake/lakeq/athena-results/", "database": "lakeq",
    "bytesScannedCutoffPerQuery": 10000000000,
    "lambda": { "functionName": "lakeq-tasks", "entry": "src/orchestration/lambda-entry.ts", "memoryMb": 512,
                "timeoutSeconds": 300, "architecture": "arm64", "environment": {} },
    "stateMachines": { "dir": "statemachines", "namePrefix": "lakeq-", "placeholders": { "Name": "value" } },
    "schedule": { "name": "lakeq-hourly", "group": "default", "minute": 5, "stateMachine": "hourly", "enabled": true },
    "findingsReport": { "schedule": "cron(0 8 ? * MON *)", "timezone": "UTC", "emails": ["secops@example.com"],
                        "severities": ["CRITICAL", "HIGH"], "topicName": "lakeq-findings-report", "enabled": true },
    "quicksight": { "dataSourceId": "lakeq-athena", "principals": ["arn:aws:quicksight:…:user/default/alice"] }
  }
The roles are not created: lakeq iam-policy prints their policies.`;

/** `lakeq deploy [--dry-run]`: plan the AWS changes, print them, then carry them out. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'dry-run': { type: 'boolean' },
      'deploy-config': { type: 'string' },
      config: { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const settings = await settingsFrom(values);
  const { loadDeployConfig } = await import('../../deploy/deploy-config.ts');
  const config = await loadDeployConfig(settings, {
    ...(values['deploy-config'] ? { deployFile: values['deploy-config'] } : {}),
    ...(values.region ? { region: values.region } : {}),
  });
  const { openDeployClients } = await import('../../deploy/deploy-clients.ts');
  const { planDeploy, applyDeploy, formatPlan } = await import('../../deploy/plan-deploy.ts');
  const plan = await withAwsErrors(config, async () => planDeploy(await openDeployClients(config), config));
  io.out(formatPlan(plan));
  if (values['dry-run']) {
    io.err('Dry run: nothing was changed.');
    return 0;
  }
  const applied = await withAwsErrors(config, () =>
    applyDeploy(plan, (c) => io.err(`${c.action === 'create' ? 'created' : 'updated'} ${c.kind} ${c.name}`)),
  );
  io.err(
    applied.length === 0
      ? 'Nothing to change: lakeq is deployed as it should be.'
      : `Deployed: ${applied.length} change(s).`,
  );
  return 0;
}
