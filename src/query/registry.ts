import { QUERY_MODULES } from '../../queries/index.ts';
import { LakeqError } from '../engines/engine.ts';
import type { LibraryQuery } from './define-query.ts';

/**
 * Lists query ids, without importing any query module.
 *
 * @example
 * ```ts
 * await listQueryIds() // ['cloudtrail/api-errors-by-principal', 'cloudtrail/events-by-source', ...]
 * ```
 */
export async function listQueryIds(): Promise<string[]> {
  return Object.keys(QUERY_MODULES).sort();
}

/** Imports one query module by id; an unknown id fails with the nearest ids. */
export async function loadQuery(id: string): Promise<LibraryQuery> {
  const load = QUERY_MODULES[id];
  if (!load) {
    const near = nearestIds(id, await listQueryIds());
    throw new LakeqError(
      'UNKNOWN_QUERY',
      `unknown query "${id}"${near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : ''} (lakeq query list shows all)`,
      { usage: true },
    );
  }
  const query = (await load()).default as LibraryQuery | undefined;
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
export async function loadAllQueries(): Promise<LibraryQuery[]> {
  return Promise.all((await listQueryIds()).map((id) => loadQuery(id)));
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
