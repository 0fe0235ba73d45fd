import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LakeqError } from '../engines/engine.ts';
import { withSpaceReserve } from '../storage/space-reserve.ts';
import type { Json } from './asl-definition.ts';
import { checkExecutionName } from './execution-names.ts';

/** A local execution, as DescribeExecution would report it. */
export interface ExecutionRecord {
  readonly name: string;
  readonly stateMachine: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly input: Json;
  readonly startDate: string;
  readonly stopDate?: string;
  readonly output?: Json;
  readonly error?: { readonly Error: string; readonly Cause: string };
  /** The process running it: a RUNNING record whose process is gone may be taken over. */
  readonly pid: number;
}

/** `<dataDir>/orchestration/executions/<name>.json`. */
export function executionRecordPath(dataDir: string, name: string): string {
  return path.join(dataDir, 'orchestration', 'executions', `${name}.json`);
}

/**
 * Claims an execution name, as StartExecution does: the first claim wins, and a name used
 * before is refused with the record of its run (ExecutionAlreadyExists). A RUNNING record whose
 * process ended (a killed run) is taken over, since nothing will ever finish it, and so is an
 * ABORTED one: a run stopped by its user loaded nothing for sure and may be run again (a local
 * rule; Step Functions keeps even an aborted name for 90 days).
 *
 * @example
 * ```ts
 * const claim = await claimExecution(dataDir, { name: 'hourly-2026-11-27T13', stateMachine: 'hourly', input, startDate, status: 'RUNNING', pid: process.pid });
 * if (!claim.claimed) console.log(`already ran: ${claim.existing.status}`);
 * ```
 */
export async function claimExecution(
  dataDir: string,
  record: ExecutionRecord,
): Promise<{ claimed: true } | { claimed: false; existing: ExecutionRecord }> {
  checkExecutionName(record.name);
  const file = executionRecordPath(dataDir, record.name);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(record));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // link() is atomic and fails if the name exists: of two claims at once, one wins.
        await link(temp, file);
        return { claimed: true };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const existing = await readExecutionRecord(dataDir, record.name);
        if (!existing) continue;
        const orphan =
          existing.status === 'RUNNING' && existing.pid !== process.pid && !isAlive(existing.pid);
        if (!orphan && existing.status !== 'ABORTED') return { claimed: false, existing };
        await rm(file, { force: true });
      }
    }
    throw new LakeqError('EXECUTION_CLAIM', `could not claim the execution name ${record.name} (${file})`);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Records how an execution ended (temp file + rename: readers see the old record or the new). */
export async function finishExecution(dataDir: string, record: ExecutionRecord): Promise<void> {
  const file = executionRecordPath(dataDir, record.name);
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    await withSpaceReserve(
      dataDir,
      () => writeFile(temp, JSON.stringify(record)),
      () => rm(temp, { force: true }),
    );
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new LakeqError(
      'RECORD_WRITE',
      `could not record execution ${record.name} as ${record.status} in ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Gives a claimed name back, for a run that could not start (another load held the data folder). */
export async function releaseExecution(dataDir: string, name: string): Promise<void> {
  await rm(executionRecordPath(dataDir, name), { force: true });
}

export async function readExecutionRecord(
  dataDir: string,
  name: string,
): Promise<ExecutionRecord | undefined> {
  try {
    return JSON.parse(await readFile(executionRecordPath(dataDir, name), 'utf8')) as ExecutionRecord;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
