import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the browser tests' Chromium came from, and its executable. */
export interface ChromiumChoice {
  readonly executablePath: string;
  /** `LAKEQ_CHROMIUM`, `system`, or `@sparticuz/chromium <version>`. */
  readonly source: string;
}

/** The usual places of a system Chromium or Chrome, Linux then macOS. */
export const SYSTEM_CHROMIUM_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Finds a Chromium for the browser tests, in this order: `LAKEQ_CHROMIUM` (a path, which must
 * exist), a system Chromium or Chrome at the usual places, then the Chromium that the npm
 * package `@sparticuz/chromium` carries (Linux x64; a devDependency, so no download).
 * The package's brotli archives are inflated once into `node_modules/.cache/`, in a fresh
 * folder renamed into place, so parallel test workers never see a half-written binary.
 *
 * @example
 * ```ts
 * const { executablePath, source } = await findChromium();
 * const browser = await chromium.launch({ executablePath });
 * ```
 */
export async function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  systemPaths: readonly string[] = SYSTEM_CHROMIUM_PATHS,
): Promise<ChromiumChoice> {
  const explicit = env.LAKEQ_CHROMIUM;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`LAKEQ_CHROMIUM names ${explicit}, which does not exist`);
    return { executablePath: explicit, source: 'LAKEQ_CHROMIUM' };
  }
  const system = systemPaths.find((p) => existsSync(p));
  if (system) return { executablePath: system, source: 'system' };
  return packagedChromium();
}

async function packagedChromium(): Promise<ChromiumChoice> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `no Chromium found: set LAKEQ_CHROMIUM to a Chromium or Chrome executable (@sparticuz/chromium ships one for Linux x64 only, this is ${process.platform}/${process.arch})`,
    );
  }
  const require = createRequire(import.meta.url);
  // The package exports only its entry (build/index.js); its root is two folders up.
  const pkgRoot = path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '..');
  const pkgJson = path.join(pkgRoot, 'package.json');
  const { version } = JSON.parse(await readFile(pkgJson, 'utf8')) as { version: string };
  const cacheRoot = path.join(REPO, 'node_modules', '.cache', 'lakeq-chromium');
  const target = path.join(cacheRoot, version);
  const executablePath = path.join(target, 'chromium');
  const source = `@sparticuz/chromium ${version}`;
  if (existsSync(executablePath)) return { executablePath, source };

  await mkdir(cacheRoot, { recursive: true });
  const staging = await mkdtemp(path.join(cacheRoot, `.inflate-${version}-`));
  // The package inflates into os.tmpdir(), which follows TMPDIR: point it at the staging folder.
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const { default: Chromium } = await import('@sparticuz/chromium');
    await Chromium.executablePath(path.join(pkgRoot, 'bin'));
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  try {
    await rename(staging, target);
  } catch (error) {
    // Another worker got there first: keep its copy.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(executablePath)) throw error;
  }
  return { executablePath, source };
}
