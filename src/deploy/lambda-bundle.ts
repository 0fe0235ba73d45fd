import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { LakeqError } from '../engines/engine.ts';
import { storedZip } from './stored-zip.ts';

/** A Lambda deployment package and the hash Lambda reports for it. */
export interface LambdaBundle {
  readonly zip: Uint8Array;
  /** Base64 SHA-256 of the zip: what GetFunction returns as `Configuration.CodeSha256`. */
  readonly sha256: string;
  /** Packages the code imports but the zip leaves out (`external`): the function fails where it loads one. */
  readonly missingPackages: readonly string[];
}

/** Lets bundled CommonJS packages `require` Node built-ins from an ES module. */
const REQUIRE_SHIM =
  "import { createRequire as __lakeqCreateRequire } from 'node:module';\nconst require = __lakeqCreateRequire(import.meta.url);";

/**
 * Bundles a TypeScript handler module with esbuild (one ES module, Node 22) and zips it as
 * `index.mjs`, so the function's handler is `index.handler`. Paths in the bundle are relative to
 * the package root above `entry`, so the bytes do not depend on the working directory.
 *
 * @example
 * ```ts
 * const { zip, sha256 } = await bundleLambda('/repo/src/orchestration/lambda-entry.ts');
 * // zip holds index.mjs; sha256 = 'pK9…=' (compare with GetFunction's CodeSha256)
 * ```
 */
export async function bundleLambda(
  entry: string,
  options: { readonly external?: readonly string[] } = {},
): Promise<LambdaBundle> {
  if (!existsSync(entry)) {
    throw new LakeqError(
      'LAMBDA_ENTRY_MISSING',
      `the Lambda entry ${entry} does not exist (set lambda.entry)`,
      {
        usage: true,
      },
    );
  }
  // esbuild is a development dependency: loaded only when a deploy bundles.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: packageRoot(entry),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    write: false,
    outfile: 'index.mjs',
    external: [...(options.external ?? [])],
    banner: { js: REQUIRE_SHIM },
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('index.mjs'));
  if (!code) throw new LakeqError('LAMBDA_BUNDLE_FAILED', `esbuild gave no output for ${entry}`);
  const zip = storedZip([{ name: 'index.mjs', data: code.contents }]);
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  const missingPackages = [
    ...new Set(imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path)),
  ].sort();
  return { zip, sha256: createHash('sha256').update(zip).digest('base64'), missingPackages };
}

function packageRoot(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}
