import type { EngineWarning } from '../engines/engine.ts';
import type { CliIO } from './io.ts';

/** Warnings go to stderr, so they never mix with data on stdout. */
export function printWarnings(warnings: readonly EngineWarning[], io: CliIO): void {
  for (const w of warnings) io.err(`warning: ${w.message}`);
  const skipped = warnings.filter((w) => w.code === 'SOURCE_FILE_SKIPPED').length;
  if (skipped > 1) io.err(`warning: ${skipped} source files skipped; the result is from the other files`);
}
