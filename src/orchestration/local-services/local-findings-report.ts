import path from 'node:path';
import type { FindingsInput } from '../../reports/findings-report.ts';
import { writeFindingsFile } from '../../reports/findings-report.ts';
import type { FindingsReportTarget } from '../../reports/findings-report-target.ts';

/**
 * The findings report's target on this machine: the findings of `input`, the report written
 * whole under `outDir` (`<outDir>/reports/findings/findings-<day>.csv`), and in place of the SNS
 * mail one log line naming the file.
 *
 * @example
 * ```ts
 * const target = localFindingsReportTarget({ input: { kind: 'captured', dir: './captures' }, outDir: './lakeq-data', log: console.log });
 * ```
 */
export function localFindingsReportTarget(options: {
  readonly input: FindingsInput | (() => Promise<{ input: FindingsInput; close?: () => Promise<void> }>);
  readonly outDir: string;
  readonly log: (line: string) => void;
}): FindingsReportTarget {
  return {
    open: async () => (typeof options.input === 'function' ? options.input() : { input: options.input }),
    store: async (key, body) => ({
      location: await writeFindingsFile(path.join(options.outDir, ...key.split('/')), body),
    }),
    notify: async ({ subject, location }) => {
      options.log(`${subject}${location ? `: ${location}` : ''} (not mailed: SNS is AWS only)`);
      return { published: false };
    },
  };
}
