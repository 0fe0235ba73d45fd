import { readFileSync } from 'node:fs';
import { SHARED_FIXTURES_URL } from './shared-dir.ts';

/** `../shared/fixtures/`: real inputs written by others (see its README); never edited to make a test pass. */
export const SHARED_FIXTURES_DIR = SHARED_FIXTURES_URL;

/**
 * Reads and parses a JSON fixture under `../shared/fixtures/`. A file that is not valid JSON
 * (such as the upstream `*__RAW_MALFORMED.txt` examples) is refused with an error naming it.
 *
 * @example
 * ```ts
 * const out = loadFixture<GetQueryExecutionOutput>('athena/api-responses/athena__get-query-execution.json');
 * ```
 */
export function loadFixture<T = unknown>(relativePath: string): T {
  const file = new URL(relativePath, SHARED_FIXTURES_DIR);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`fixture ${relativePath} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
