/** Where the CLI writes; tests pass their own to capture output. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Writes raw bytes or text to stdout without a newline. */
  write(chunk: string): void;
  readonly isTTY: boolean;
  /** The terminal's width in columns (meaningful when `isTTY`). */
  readonly columns: number;
  /** Fires on Ctrl-C, so a running query can be stopped on the engine. */
  readonly signal: AbortSignal;
  /**
   * Registers what a second Ctrl-C does, for a command whose first Ctrl-C means "stop after
   * the current step" (the scheduler). Without one, a second Ctrl-C exits at once (130).
   */
  onForce?(listener: () => void): void;
}

export function processIO(): CliIO {
  const controller = new AbortController();
  const forceListeners: (() => void)[] = [];
  process.once('SIGINT', () => {
    process.stderr.write('\nlakeq: stopping (Ctrl-C again to force)\n');
    controller.abort();
    process.once('SIGINT', () => {
      if (forceListeners.length === 0) process.exit(130);
      process.stderr.write('\nlakeq: aborting (Ctrl-C again to exit at once)\n');
      for (const listener of forceListeners) listener();
      process.once('SIGINT', () => process.exit(130));
    });
  });
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    write: (chunk) => process.stdout.write(chunk),
    isTTY: process.stdout.isTTY === true,
    get columns() {
      return terminalColumns(process.stdout.columns, process.env.COLUMNS);
    },
    signal: controller.signal,
    onForce: (listener) => {
      forceListeners.push(listener);
    },
  };
}

/**
 * A terminal's width: what the terminal reports, else `COLUMNS` (a terminal that reports no
 * size, such as a pseudo-terminal nobody sized), else 80, the classic terminal width.
 *
 * @example
 * ```ts
 * terminalColumns(process.stdout.columns, process.env.COLUMNS) // 132 in a 132-column terminal
 * terminalColumns(0, '100')                                    // 100
 * ```
 */
export function terminalColumns(reported: number | undefined, env: string | undefined): number {
  if (reported !== undefined && reported > 0) return reported;
  const fromEnv = Number(env);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
}
