import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureIO } from '../support/capture-io.ts';

describe('lakeq schedule', () => {
  it('checks its options before doing anything', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-schedule-cli-'));
    try {
      const io = captureIO();
      expect(await main(['schedule', '--at-minute', '75', '--data-dir', dir], io)).toBe(2);
      expect(io.stderr()).toContain('--at-minute must be 0 to 59');
      expect(await main(['schedule', '--max-catch-up', '0', '--data-dir', dir], captureIO())).toBe(2);
      const help = captureIO();
      expect(await main(['schedule', '--help'], help)).toBe(0);
      expect(help.stdout()).toContain('catches up the hours missed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
