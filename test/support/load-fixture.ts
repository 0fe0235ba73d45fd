import { readFileSync } from 'node:fs';
import { REAL_FIXTURES_URL } from './fixture-dirs.ts';

export { REAL_FIXTURES_URL };

/**
 * Reads and parses a JSON fixture under `test/fixtures/real/` (real inputs written by others, never edited to make a test pass). A file that is not valid JSON
 * (such as the upstream `*__RAW_MALFORMED.txt` examples) is refused with an error naming it.
 *
 * @example
 * ```ts
 * const out = loadFixture<GetQueryExecutionOutput>('athena/api-responses/athena__get-query-execution.json');
 * ```
 */
export function loadFixture<T = unknown>(relativePath: string): T {
  const file = new URL(relativePath, REAL_FIXTURES_URL);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`fixture ${relativePath} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
