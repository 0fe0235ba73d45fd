import { LakeqError } from '../../engines/engine.ts';
import { parseFindingsFilter } from '../../reports/findings-filter.ts';
import {
  FINDINGS_FORMATS,
  type FindingsFormat,
  findingsReport,
  renderFindings,
  severityCounts,
} from '../../reports/findings-report.ts';
import type { ReportLink } from '../../reports/findings-report-target.ts';
import { parseInputTime } from '../execution-names.ts';
import { launchFindingsReport } from '../launcher/launch-findings-report.ts';
import type { LaunchResult } from '../launcher/launch-hourly.ts';
import type { HandlerContext } from './handler-context.ts';

/** Where the scheduled reports go, under the data folder or the lake's S3 prefix. */
export const FINDINGS_REPORT_PREFIX = 'reports/findings/';

/** The state machine's input (the schedule's `Input`): all optional. */
export interface FindingsReportInput {
  /** The scheduled time (`<aws.scheduler.scheduled-time>`): names the report's day. Default: now. */
  readonly time?: unknown;
  readonly from?: unknown;
  readonly to?: unknown;
  /** Labels, as a list or comma-separated. */
  readonly severity?: unknown;
  readonly format?: unknown;
}

/** What `writeFindingsReport` answers, and `notifyFindingsReport` is given. */
export interface WrittenFindingsReport {
  readonly day: string;
  readonly key: string;
  readonly location: string;
  readonly rows: number;
  readonly severities: string;
  readonly input: string;
  readonly warnings: number;
  readonly link?: ReportLink;
  readonly subject: string;
  readonly message: string;
}

const text = (field: string, v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new LakeqError('BAD_INPUT', `"${field}" must be a string`, { usage: true });
  return v;
};

function targetOf(context: HandlerContext) {
  if (!context.findingsReport)
    throw new LakeqError(
      'BAD_CONFIG',
      'the findings report has no target here: run it with lakeq report findings, or on AWS through the findings-report state machine',
    );
  return context.findingsReport;
}

/**
 * Lambda action `writeFindingsReport`, the first step of `findings-report.asl.json`: reads the
 * active findings (the context's input: the Security Hub API on AWS), writes the report whole to
 * `reports/findings/findings-<day>.csv` (the scheduled time's UTC day, so a rerun of a day
 * replaces its report), and answers where it is, its link (AWS: a presigned URL, see
 * presigned-url-expiry.ts) and the mail to send.
 *
 * @example
 * ```ts
 * await writeFindingsReportAction({ input: { time: '2026-11-30T08:00:00Z', severity: 'CRITICAL,HIGH' } }, context)
 * // { day: '2026-11-30', key: 'reports/findings/findings-2026-11-30.csv', rows: 12, link: { url: 'https://…', … }, subject: '…', message: '…' }
 * ```
 */
export async function writeFindingsReportAction(
  payload: { readonly input?: FindingsReportInput },
  context: HandlerContext,
): Promise<WrittenFindingsReport> {
  const target = targetOf(context);
  const input = payload.input ?? {};
  const time = input.time === undefined ? context.now : parseInputTime('time', input.time);
  const severity =
    Array.isArray(input.severity) && input.severity.every((s) => typeof s === 'string')
      ? (input.severity as string[])
      : text('severity', input.severity);
  const filter = parseFindingsFilter({ from: text('from', input.from), to: text('to', input.to), severity });
  const format = (text('format', input.format) ?? 'csv') as FindingsFormat;
  if (!FINDINGS_FORMATS.includes(format))
    throw new LakeqError('BAD_INPUT', `"format" must be csv or json (got "${format}")`, { usage: true });
  const day = time.toISOString().slice(0, 10);
  const key = `${FINDINGS_REPORT_PREFIX}findings-${day}.${format}`;
  const opened = await target.open();
  let report: Awaited<ReturnType<typeof findingsReport>>;
  try {
    report = await findingsReport(opened.input, filter, context.signal ? { signal: context.signal } : {});
  } finally {
    await opened.close?.();
  }
  const stored = await target.store(
    key,
    renderFindings(report.rows, format),
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
  );
  const severities = severityCounts(report.rows);
  const count = `${report.rows.length} active finding${report.rows.length === 1 ? '' : 's'}`;
  const linkLine = stored.link
    ? `Download (valid until ${stored.link.atMost ? 'at most ' : ''}${stored.link.expiresAt}${stored.link.limitedByCredentials ? ', when the credentials that signed the link expire' : ''}):\n${stored.link.url}`
    : `The report: ${stored.location}`;
  return {
    day,
    key,
    location: stored.location,
    rows: report.rows.length,
    severities,
    input: report.input,
    warnings: report.warnings.length,
    ...(stored.link ? { link: stored.link } : {}),
    // SNS subjects: at most 100 ASCII characters on one line.
    subject: `lakeq findings report ${day}: ${count}`.slice(0, 100),
    message: [
      `lakeq findings report of ${day}: ${count} (${severities}), from ${report.input}.`,
      ...(report.warnings.length > 0
        ? [`${report.warnings.length} input file(s) or finding(s) were skipped.`]
        : []),
      '',
      linkLine,
      '',
      `Stored at ${stored.location}.`,
    ].join('\n'),
  };
}

/**
 * Lambda action `notifyFindingsReport`, the second step: sends the mail `writeFindingsReport`
 * made to the report's topic (SNS Publish; the e-mail subscriptions deliver it). Locally the
 * target logs it instead.
 *
 * @example
 * ```ts
 * await notifyFindingsReportAction({ topicArn: 'arn:aws:sns:eu-west-1:111122223333:lakeq-findings-report', report }, context)
 * // { published: true, messageId: '…' }
 * ```
 */
export async function notifyFindingsReportAction(
  payload: { readonly topicArn?: unknown; readonly report?: Partial<WrittenFindingsReport> },
  context: HandlerContext,
): Promise<{ published: boolean; messageId?: string }> {
  const target = targetOf(context);
  const topicArn = text('topicArn', payload.topicArn);
  if (!topicArn || !/^arn:[\w-]+:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(topicArn))
    throw new LakeqError(
      'BAD_INPUT',
      `"topicArn" must be an SNS topic ARN (got ${JSON.stringify(payload.topicArn)})`,
      {
        usage: true,
      },
    );
  const subject = text('report.subject', payload.report?.subject);
  const message = text('report.message', payload.report?.message);
  if (!subject || !message)
    throw new LakeqError(
      'BAD_INPUT',
      '"report" must be what writeFindingsReport answered (subject and message)',
      {
        usage: true,
      },
    );
  const location = text('report.location', payload.report?.location);
  const sent = await target.notify({ topicArn, subject, message, ...(location ? { location } : {}) });
  return { published: sent.published, ...(sent.messageId ? { messageId: sent.messageId } : {}) };
}

/**
 * Lambda action `launchFindingsReport`: what the report's weekly schedule invokes on AWS. It
 * starts `stateMachineArn` under the scheduled minute's name, so a duplicate delivery of the
 * trigger runs (and mails) nothing.
 *
 * @example
 * ```ts
 * await launchFindingsReportAction({ action: 'launchFindingsReport', time: '2026-11-30T08:00:00Z', stateMachineArn }, context)
 * // { executionName: 'findings-report-2026-11-30T0800', executionArn: '…', duplicate: false }
 * ```
 */
export async function launchFindingsReportAction(
  payload: { readonly time?: unknown; readonly stateMachineArn?: unknown; readonly severity?: unknown },
  context: HandlerContext,
): Promise<LaunchResult> {
  if (!context.startExecution)
    throw new LakeqError(
      'BAD_CONFIG',
      'launchFindingsReport starts a Step Functions execution: it runs on AWS only; locally use lakeq run findings-report',
    );
  return launchFindingsReport(payload, { startExecution: context.startExecution });
}
