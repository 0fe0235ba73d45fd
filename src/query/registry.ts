import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LakeqError } from '../engines/engine.ts';
import type { LibraryQuery } from './define-query.ts';

/** The library's folder: the folder tree is the catalog, a query's path is its id. */
export const QUERIES_DIR = fileURLToPath(new URL('../../queries/', import.meta.url));

/** Modules under queries/ that hold helpers, not queries. */
const HELPER_MODULE = /(^|\/)[^/]*-sql\.ts$|(^|\/)index\.ts$/;

/**
 * Lists query ids from the file tree, without importing any query module.
 *
 * @example
 * ```ts
 * await listQueryIds() // ['cloudtrail/api-errors-by-principal', 'cloudtrail/events-by-source', ...]
 * ```
 */
export async function listQueryIds(dir = QUERIES_DIR): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries
    .map((rel) => rel.split(path.sep).join('/'))
    .filter((rel) => rel.endsWith('.ts') && !HELPER_MODULE.test(rel) && rel.includes('/'))
    .map((rel) => rel.slice(0, -'.ts'.length))
    .sort();
}

/** Imports one query module by id; an unknown id fails with the nearest ids. */
export async function loadQuery(id: string, dir = QUERIES_DIR): Promise<LibraryQuery> {
  const ids = await listQueryIds(dir);
  if (!ids.includes(id)) {
    const near = nearestIds(id, ids);
    throw new LakeqError(
      'UNKNOWN_QUERY',
      `unknown query "${id}"${near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : ''} (lakeq query list shows all)`,
      { usage: true },
    );
  }
  const mod = (await import(pathToFileURL(path.join(dir, `${id}.ts`)).href)) as { default?: LibraryQuery };
  const query = mod.default;
  if (!query || typeof query.build !== 'function') {
    throw new LakeqError(
      'BAD_QUERY_MODULE',
      `queries/${id}.ts does not export a defineQuery(...) as default`,
    );
  }
  if (query.id !== id) {
    throw new LakeqError(
      'BAD_QUERY_MODULE',
      `queries/${id}.ts declares id "${query.id}"; the id must be its path`,
    );
  }
  return query;
}

/** Imports every query of the library. */
export async function loadAllQueries(dir = QUERIES_DIR): Promise<LibraryQuery[]> {
  const ids = await listQueryIds(dir);
  return Promise.all(ids.map((id) => loadQuery(id, dir)));
}

/** Up to three ids closest to a mistyped one (edit distance, or a shared name part). */
export function nearestIds(id: string, ids: readonly string[]): string[] {
  const scored = ids.map((candidate) => {
    const name = candidate.split('/').pop() ?? candidate;
    const contains = candidate.includes(id) || id.includes(name) ? -100 : 0;
    return { candidate, score: contains + Math.min(editDistance(id, candidate), editDistance(id, name)) };
  });
  const limit = Math.max(3, Math.ceil(id.length / 2));
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((s) => s.candidate);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
