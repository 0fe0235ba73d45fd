import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The shared folder of real inputs and AWS API models (`fixtures/`, `aws-models/`), which lives
 * beside the repository (`../shared`). `LAKEQ_SHARED_DIR` names it explicitly; otherwise the
 * nearest `shared/` beside the repository or one of its parents is used, so a clone in a
 * sub-folder finds it too.
 */
function findSharedDir(): string {
  const explicit = process.env.LAKEQ_SHARED_DIR;
  if (explicit) return path.resolve(explicit);
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  for (let dir = path.dirname(path.resolve(repo)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared');
    if (existsSync(path.join(candidate, 'fixtures')) && existsSync(path.join(candidate, 'aws-models'))) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(
        `the shared fixtures and AWS models (../shared) were not found above ${repo}: set LAKEQ_SHARED_DIR`,
      );
    }
  }
}

/** The shared folder's path. */
export const SHARED_DIR = findSharedDir();
/** `shared/fixtures` as a path. */
export const SHARED_FIXTURES = path.join(SHARED_DIR, 'fixtures');
/** `shared/fixtures/` as a file URL (ends in `/`, for `new URL(relative, …)`). */
export const SHARED_FIXTURES_URL = pathToFileURL(`${SHARED_FIXTURES}/`);
/** `shared/aws-models/` as a file URL. */
export const SHARED_MODELS_URL = pathToFileURL(`${path.join(SHARED_DIR, 'aws-models')}/`);
