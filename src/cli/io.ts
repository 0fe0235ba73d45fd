/** Where the CLI writes; tests pass their own to capture output. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Writes raw bytes or text to stdout without a newline. */
  write(chunk: string): void;
  readonly isTTY: boolean;
  readonly columns: number;
  /** Fires on Ctrl-C, so a running query can be stopped on the engine. */
  readonly signal: AbortSignal;
}

export function processIO(): CliIO {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nlakeq: stopping (Ctrl-C again to force)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    write: (chunk) => process.stdout.write(chunk),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 120,
    signal: controller.signal,
  };
}
