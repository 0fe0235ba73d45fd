import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import { withAwsErrors } from '../aws-errors.ts';
import type { CliIO } from '../io.ts';
import { settingsFrom } from '../options.ts';

const USAGE = `Usage: lakeq dashboards <subcommand> [options]
The dashboards of dashboards/ (QuickSight definitions as code).

  serve [--port N]           serve every dashboard on http://127.0.0.1:N/ (default 8040; 0 picks a
                             free port), drawn from the local SPICE snapshots; Ctrl-C stops it
  build --out DIR            write the same pages as a static site (index.html, pages, data)
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

Options: --data-dir DIR (serve, build), --deploy-config FILE (default lakeq.deploy.json; lakeq deploy --help shows its format),
         --config FILE, --region R, --account-id ID`;

const OPTIONS = {
  out: { type: 'string' },
  port: { type: 'string' },
  'data-dir': { type: 'string' },
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
  serve: runServe,
  build: runBuild,
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

async function runServe(values: Values, io: CliIO): Promise<number> {
  const port = values.port === undefined ? 8040 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LakeqError('BAD_OPTION', `--port must be an integer from 0 to 65535, not ${values.port}`, {
      usage: true,
    });
  }
  const settings = await settingsFrom(values);
  const { DASHBOARDS } = await import('../../../dashboards/index.ts');
  const { serveDashboards } = await import('../../dashboards/local/server.ts');
  const controller = new AbortController();
  const stop = () => controller.abort();
  io.signal.addEventListener('abort', stop, { once: true });
  process.once('SIGTERM', stop);
  try {
    await serveDashboards({
      dataDir: settings.dataDir,
      dashboards: DASHBOARDS,
      port,
      signal: controller.signal,
      log: (line) => io.err(line),
      onListening: (url) => io.out(`Dashboards: ${url}  (Ctrl-C to stop)`),
    });
  } finally {
    process.off('SIGTERM', stop);
  }
  return 0;
}

async function runBuild(values: Values, io: CliIO): Promise<number> {
  if (!values.out)
    throw new LakeqError('BAD_OPTION', 'lakeq dashboards build needs --out DIR', { usage: true });
  const settings = await settingsFrom(values);
  const { DASHBOARDS } = await import('../../../dashboards/index.ts');
  const { buildDashboards } = await import('../../dashboards/local/static-site.ts');
  const site = await buildDashboards({
    out: values.out,
    dataDir: settings.dataDir,
    dashboards: DASHBOARDS,
    log: (line) => io.err(line),
  });
  io.out(
    `${site.files.length} files in ${site.out}: serve it with any static file server and open index.html`,
  );
  return 0;
}

async function deployConfig(values: Values) {
  const settings = await settingsFrom(values);
  const { loadDeployConfig } = await import('../../deploy/deploy-config.ts');
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
  const { formatPlan } = await import('../../deploy/plan-deploy.ts');
  const clients = await openDashboardClients(config);
  const plan = await withAwsErrors(config, () => planDashboards(clients, config));
  io.out(formatPlan(plan));
  if (values['dry-run']) {
    io.err('Dry run: nothing was changed.');
    return 0;
  }
  const { applied, ingestions } = await withAwsErrors(config, () =>
    applyDashboards(plan, clients, config, {
      onApplied: (c) => io.err(`${c.action === 'create' ? 'created' : 'updated'} ${c.kind} ${c.name}`),
    }),
  );
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
  const drifts = await withAwsErrors(config, async () =>
    diffDashboards(await openDashboardClients(config), config),
  );
  io.out(formatDrift(drifts));
  return drifts.every((d) => d.state === 'same') ? 0 : 1;
}
