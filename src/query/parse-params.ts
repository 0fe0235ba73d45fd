import { z } from 'zod';
import { LakeqError } from '../engines/engine.ts';
import type { LibraryQuery } from './define-query.ts';

/**
 * Validates raw parameters (strings from the CLI, or values from code) with a query's zod
 * schema. A bad parameter is a usage error that names the parameter and says why.
 */
export function parseParams(query: Pick<LibraryQuery, 'id' | 'params'>, raw: unknown): unknown {
  const result = query.params.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.length > 0 ? issue.path.join('.') : 'parameters';
    if (issue.code === 'unrecognized_keys') return `unknown parameter(s) ${issue.keys.join(', ')}`;
    return `${name}: ${issue.message}`;
  });
  throw new LakeqError('BAD_PARAMETER', `bad parameters for ${query.id}: ${problems.join('; ')}`, {
    usage: true,
    details: z.treeifyError(result.error),
  });
}
