import type { CliIO } from '../../src/cli/io.ts';

export interface CapturedIO extends CliIO {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** A CliIO that records what the CLI prints. */
export function captureIO(options: { isTTY?: boolean; columns?: number } = {}): CapturedIO {
  let out = '';
  let err = '';
  return {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
    write: (t) => {
      out += t;
    },
    isTTY: options.isTTY ?? false,
    columns: options.columns ?? 120,
    signal: new AbortController().signal,
    stdout: () => out,
    stderr: () => err,
  };
}
