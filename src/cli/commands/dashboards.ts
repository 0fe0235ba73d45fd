import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { settingsFrom } from '../options.ts';

const USAGE = `Usage: lakeq dashboards <subcommand> [options]
The dashboards of dashboards/ (QuickSight definitions as code).

  export --out DIR           write, per dashboard, the request bodies deploy sends:
                             <dashboard>.CreateDataSource.json, <dashboard>.CreateDataSet.json
                             (<dashboard>.CreateDataSet.<datasetId>.json when it reads several
                             datasets) and <dashboard>.CreateDashboard.json
  deploy [--dry-run]         create or update the QuickSight data source, the datasets the
                             dashboards read and the dashboards (a changed dashboard gets a new
                             version, published); grants quicksight.principals (owners) and
                             quicksight.viewers; starts one SPICE ingestion per new dataset.
                             --dry-run prints the plan only (read-only calls)
  diff                       compare each published dashboard (DescribeDashboardDefinition) with
                             the code, one "path: deployed → code" line per difference.
                             Exit 0: no drift; 1: drift or a dashboard not deployed (or a failure)

Options: --deploy-config FILE (default lakeq.deploy.json; lakeq deploy --help shows its format),
         --config FILE, --region R, --account-id ID`;

const OPTIONS = {
  out: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'deploy-config': { type: 'string' },
  config: { type: 'string' },
  region: { type: 'string' },
  'account-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Subcommands; each imports what it needs when it runs. Add new ones here. */
const SUBCOMMANDS: Record<string, (values: Values, io: CliIO) => Promise<number>> = {
  export: runExport,
  deploy: runDeploy,
  diff: runDiff,
};

/** `lakeq dashboards <export|deploy|diff>`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  const [sub, ...extra] = positionals;
  if (values.help || sub === undefined) {
    io.out(USAGE);
    return sub === undefined && !values.help ? 2 : 0;
  }
  const handler = SUBCOMMANDS[sub];
  if (!handler || extra.length > 0) {
    throw new LakeqError(
      'BAD_OPTION',
      handler
        ? `lakeq dashboards ${sub}: unexpected argument ${extra[0]}`
        : `unknown dashboards subcommand "${sub}" (one of ${Object.keys(SUBCOMMANDS).join(', ')})`,
      { usage: true },
    );
  }
  return handler(values, io);
}

async function deployConfig(values: Values) {
  const settings = await settingsFrom(values);
  const { loadDeployConfig } = await import('../../orchestration/deploy/deploy-config.ts');
  return loadDeployConfig(settings, {
    ...(values['deploy-config'] ? { deployFile: values['deploy-config'] } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values['account-id'] ? { accountId: values['account-id'] } : {}),
  });
}

async function runExport(values: Values, io: CliIO): Promise<number> {
  if (!values.out)
    throw new LakeqError('BAD_OPTION', 'lakeq dashboards export needs --out DIR', { usage: true });
  const config = await deployConfig(values);
  const { exportDashboardRequests, writeExportedRequests } = await import(
    '../../dashboards/quicksight/dashboard-requests.ts'
  );
  const written = await writeExportedRequests(values.out, await exportDashboardRequests(config));
  for (const file of written) io.out(file);
  io.err(`Wrote ${written.length} request(s) to ${values.out}.`);
  return 0;
}

async function runDeploy(values: Values, io: CliIO): Promise<number> {
  const config = await deployConfig(values);
  const { openDashboardClients, planDashboards, applyDashboards } = await import(
    '../../dashboards/quicksight/deploy-dashboards.ts'
  );
  const { formatPlan } = await import('../../orchestration/deploy/plan-deploy.ts');
  const clients = await openDashboardClients(config);
  const plan = await planDashboards(clients, config);
  io.out(formatPlan(plan));
  if (values['dry-run']) {
    io.err('Dry run: nothing was changed.');
    return 0;
  }
  const { applied, ingestions } = await applyDashboards(plan, clients, config, {
    onApplied: (c) => io.err(`${c.action === 'create' ? 'created' : 'updated'} ${c.kind} ${c.name}`),
  });
  for (const line of ingestions) io.err(line);
  io.err(
    applied.length === 0
      ? 'Nothing to change: the dashboards are deployed as in the code.'
      : `Deployed: ${applied.length} change(s).`,
  );
  return 0;
}

async function runDiff(values: Values, io: CliIO): Promise<number> {
  const config = await deployConfig(values);
  const { openDashboardClients, diffDashboards, formatDrift } = await import(
    '../../dashboards/quicksight/deploy-dashboards.ts'
  );
  const drifts = await diffDashboards(await openDashboardClients(config), config);
  io.out(formatDrift(drifts));
  return drifts.every((d) => d.state === 'same') ? 0 : 1;
}
