import { describe, expect, it } from 'vitest';
import { processIO } from '../../src/cli/io.ts';

describe('Ctrl-C on the terminal', () => {
  it('the first stops (the signal fires), the second calls what the command registered, not exit', () => {
    const before = new Set(process.listeners('SIGINT'));
    const io = processIO();
    let forced = 0;
    io.onForce?.(() => {
      forced++;
    });
    try {
      process.emit('SIGINT');
      expect(io.signal.aborted).toBe(true);
      expect(forced).toBe(0);
      process.emit('SIGINT');
      expect(forced).toBe(1);
    } finally {
      for (const l of process.listeners('SIGINT')) if (!before.has(l)) process.off('SIGINT', l);
    }
  });
});
