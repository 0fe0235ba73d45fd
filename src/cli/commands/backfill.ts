import type { CliIO } from '../io.ts';
import { runLoadCommand } from './load.ts';

/** `lakeq backfill`: a long range, in batches, resumable (finished partitions are not redone). */
export function run(args: string[], io: CliIO): Promise<number> {
  return runLoadCommand('backfill', args, io);
}
