import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../support/chromium.ts';

let dir: string;
let fakeSystem: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-chromium-lookup-'));
  fakeSystem = path.join(dir, 'chromium');
  await writeFile(fakeSystem, '');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the browser tests find a Chromium', () => {
  it('LAKEQ_CHROMIUM first, and a path that does not exist is an error', async () => {
    const explicit = path.join(dir, 'mine');
    await writeFile(explicit, '');
    await expect(findChromium({ LAKEQ_CHROMIUM: explicit }, [fakeSystem])).resolves.toEqual({
      executablePath: explicit,
      source: 'LAKEQ_CHROMIUM',
    });
    await expect(findChromium({ LAKEQ_CHROMIUM: path.join(dir, 'nope') }, [fakeSystem])).rejects.toThrow(
      /LAKEQ_CHROMIUM names .*nope, which does not exist/,
    );
  });

  it('then the first system Chromium or Chrome that exists', async () => {
    await expect(findChromium({}, [path.join(dir, 'absent'), fakeSystem])).resolves.toEqual({
      executablePath: fakeSystem,
      source: 'system',
    });
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'then the Chromium that @sparticuz/chromium carries, inflated once into node_modules/.cache',
    async () => {
      const first = await findChromium({}, []);
      expect(first.source).toMatch(/^@sparticuz\/chromium \d+\.\d+\.\d+$/);
      expect(first.executablePath).toContain(path.join('node_modules', '.cache', 'lakeq-chromium'));
      accessSync(first.executablePath, constants.X_OK);
      // A second lookup reuses the inflated copy.
      await expect(findChromium({}, [])).resolves.toEqual(first);
    },
  );
});
