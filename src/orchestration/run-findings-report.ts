import { readFile } from 'node:fs/promises';
import { substitutePlaceholders } from '../deploy/placeholders.ts';
import type { FindingsInput } from '../reports/findings-report.ts';
import { type AslMachine, STATEMACHINES_DIR } from './asl-definition.ts';
import type { FindingsReportInput, WrittenFindingsReport } from './handlers/findings-report-action.ts';
import { localHandlerContext } from './handlers/handler-context.ts';
import { localIntegrations } from './local-integrations.ts';
import { type LocalRunResult, runLocally } from './local-runner.ts';
import { localFindingsReportTarget } from './local-services/local-findings-report.ts';
import { LOCAL_PLACEHOLDERS } from './run-state-machine.ts';

/** The state machine of the weekly findings report, `statemachines/findings-report.asl.json`. */
export const FINDINGS_REPORT_STATE_MACHINE = 'findings-report';

/** The topic the local run names (nothing is published locally). */
export const LOCAL_FINDINGS_REPORT_TOPIC = 'arn:aws:sns:us-east-1:000000000000:lakeq-findings-report';

/** The report machine's ASL as deployed, `${LambdaFunctionArn}` and `${FindingsReportTopicArn}` included. */
export function readFindingsReportDefinition(): Promise<string> {
  return readFile(`${STATEMACHINES_DIR}${FINDINGS_REPORT_STATE_MACHINE}.asl.json`, 'utf8');
}

/**
 * Runs `statemachines/findings-report.asl.json` on this machine, its Lambda tasks with local
 * handlers: the findings of `findings` are written to `<outDir>/reports/findings/findings-<day>.csv`
 * and, where AWS would mail the link, `log` gets one line naming the file.
 *
 * @example
 * ```ts
 * const run = await runFindingsReportLocally({ time: '2026-11-30T08:00:00Z' },
 *   { dataDir: './lakeq-data', findings: { kind: 'captured', dir: './captures' }, log: console.log });
 * run.status // 'SUCCEEDED'; run.report?.location // '/…/lakeq-data/reports/findings/findings-2026-11-30.csv'
 * ```
 */
export async function runFindingsReportLocally(
  input: FindingsReportInput,
  options: {
    readonly dataDir: string;
    readonly findings: FindingsInput;
    /** Default: the data folder. */
    readonly outDir?: string;
    readonly log: (line: string) => void;
    readonly now?: Date;
    readonly signal?: AbortSignal;
  },
): Promise<LocalRunResult & { readonly executionName: string; readonly report?: WrittenFindingsReport }> {
  const now = options.now ?? new Date();
  const definition = JSON.parse(
    substitutePlaceholders(await readFindingsReportDefinition(), {
      ...LOCAL_PLACEHOLDERS,
      FindingsReportTopicArn: LOCAL_FINDINGS_REPORT_TOPIC,
    }),
  ) as AslMachine;
  const context = {
    ...localHandlerContext({
      dataDir: options.dataDir,
      sources: {},
      now,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
    findingsReport: localFindingsReportTarget({
      input: options.findings,
      outDir: options.outDir ?? options.dataDir,
      log: options.log,
    }),
  };
  // A bad time fails in the first task, with its reason; the name only needs to be valid.
  const at = typeof input.time === 'string' ? Date.parse(input.time) : now.getTime();
  const day = Number.isNaN(at) ? 'now' : new Date(at).toISOString().slice(0, 10);
  const executionName = `${FINDINGS_REPORT_STATE_MACHINE}-${day}`;
  const run = await runLocally(definition, {
    input: JSON.parse(JSON.stringify(input)),
    integrations: localIntegrations(context),
    executionName,
    stateMachineName: FINDINGS_REPORT_STATE_MACHINE,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const written = (run.output as { written?: { report?: WrittenFindingsReport } } | undefined)?.written
    ?.report;
  return { ...run, executionName, ...(written ? { report: written } : {}) };
}
