import type { FindingsInput } from './findings-report.ts';

/** A stored report's download link: a presigned URL and when it stops working. */
export interface ReportLink {
  readonly url: string;
  readonly expiresAt: string;
  /** True when the signing credentials end before the 24 hours do. */
  readonly limitedByCredentials: boolean;
  /** True when temporary credentials signed it without saying when they end: valid until `expiresAt` at the latest. */
  readonly atMost?: boolean;
}

/**
 * Where the scheduled findings report reads, writes and tells (the state machine's Lambda
 * tasks): on AWS the Security Hub API (or Security Lake on Athena), an S3 object with a
 * presigned link and an SNS message; locally any input, a file and a log line.
 *
 * @example
 * ```ts
 * const target: FindingsReportTarget = {
 *   open: async () => ({ input: { kind: 'captured', dir: './captures' } }),
 *   store: async (key, body) => ({ location: await writeFindingsFile(path.join(dir, key), body) }),
 *   notify: async ({ message }) => { console.log(message); return { published: false }; },
 * };
 * ```
 */
export interface FindingsReportTarget {
  /** The findings input of a run, and how to release it (an engine to close). */
  open(): Promise<{ readonly input: FindingsInput; readonly close?: () => Promise<void> }>;
  /** Writes the report whole under `key` (`reports/findings/findings-2026-11-30.csv`); answers where, and a link when it has one. */
  store(
    key: string,
    body: string,
    contentType: string,
  ): Promise<{ readonly location: string; readonly link?: ReportLink }>;
  /** Tells the report's readers (SNS Publish to `topicArn`; locally a log line). */
  notify(message: {
    readonly topicArn: string;
    readonly subject: string;
    readonly message: string;
    /** Where the report is (for a local log line). */
    readonly location?: string;
  }): Promise<{ readonly published: boolean; readonly messageId?: string }>;
}
