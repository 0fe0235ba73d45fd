import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

/**
 * The `.json` files of a folder of captured API responses (any names, any pages), sorted; with
 * `recursive`, of its sub-folders too. A folder that is not there has none.
 *
 * @example
 * ```ts
 * await capturedJsonFiles('./lakeq-data/raw/glue-api/job-runs', true) // ['…/job-runs/etl.json', …]
 * ```
 */
export async function capturedJsonFiles(dir: string, recursive: boolean): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && recursive) out.push(...(await capturedJsonFiles(full, true)));
    else if (entry.isFile() && entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid content';
  const at = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return `${issue.message}${at}`;
}

/**
 * A captured response, parsed and checked; null (with a warning naming the file and why) when it
 * is not valid JSON or not `what`, so one bad file never stops the collection.
 *
 * @example
 * ```ts
 * const page = await readCaptured(file, () => runsFileSchema, 'a GetJobRuns output', warnings);
 * ```
 */
export async function readCaptured<T>(
  file: string,
  schemaFor: (json: unknown) => z.ZodType<T>,
  what: string,
  warnings: string[],
): Promise<T | null> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    warnings.push(`${file}: skipped, not valid JSON (${(error as Error).message})`);
    return null;
  }
  const parsed = schemaFor(json).safeParse(json);
  if (!parsed.success) {
    warnings.push(`${file}: skipped, not ${what} (${describeIssue(parsed.error)})`);
    return null;
  }
  return parsed.data;
}
