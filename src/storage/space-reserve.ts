import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A file of zeros kept in a data folder so that, on a full disk, a failure can still be recorded. */
export const SPACE_RESERVE_FILE = '.lakeq-space-reserve';
/** Enough for the failure's ledger, run and execution records many times over. */
export const SPACE_RESERVE_BYTES = 256 * 1024;

const isNoSpace = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOSPC';

/**
 * Makes sure the data folder holds its space reserve; false when it cannot (the disk is full
 * already), which is not an error: the run goes on and simply has no reserve.
 *
 * @example
 * ```ts
 * await ensureSpaceReserve(dataDir); // <dataDir>/.lakeq-space-reserve, 256 KiB
 * ```
 */
export async function ensureSpaceReserve(root: string): Promise<boolean> {
  const file = path.join(root, SPACE_RESERVE_FILE);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.size === SPACE_RESERVE_BYTES) return true;
  try {
    await mkdir(root, { recursive: true });
    await writeFile(file, Buffer.alloc(SPACE_RESERVE_BYTES));
    return true;
  } catch (error) {
    await rm(file, { force: true });
    if (isNoSpace(error)) return false;
    throw error;
  }
}

/**
 * Runs a small write; if the disk is full (ENOSPC), gives up the folder's space reserve and
 * tries once more, so the record of what happened (a ledger row for a partition already in
 * place, a failure, an execution's end) is not lost with the space. `undo` runs between the
 * attempts to take back a partial write.
 *
 * @example
 * ```ts
 * await withSpaceReserve(dataDir, () => writeFile(file, text));
 * ```
 */
export async function withSpaceReserve<T>(
  root: string,
  write: () => Promise<T>,
  undo: () => Promise<void> = async () => {},
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isNoSpace(error)) throw error;
    const file = path.join(root, SPACE_RESERVE_FILE);
    const held = await stat(file).catch(() => undefined);
    if (!held) throw error;
    await undo();
    await rm(file, { force: true });
    return write();
  }
}
