import { fileURLToPath } from 'node:url';

/**
 * `test/fixtures/real/`: real inputs written by others, copied unedited into the repository
 * with their sources and licenses (its README). A file URL ending in `/`, for `new URL(relative, …)`.
 */
export const REAL_FIXTURES_URL = new URL('../fixtures/real/', import.meta.url);
/** `test/fixtures/real` as a path. */
export const REAL_FIXTURES = fileURLToPath(REAL_FIXTURES_URL).replace(/\/$/, '');
/** `test/fixtures/aws-models/`: the published AWS API models (botocore), as a file URL. */
export const AWS_MODELS_URL = new URL('../fixtures/aws-models/', import.meta.url);
