import { describe, expect, it } from 'vitest';
import { allSettled, limited } from '../../src/orchestration/local-services/serialized.ts';

describe('limited', () => {
  it('runs at most N calls of a key at once, in order, and allSettled waits for them all', async () => {
    let running = 0;
    let most = 0;
    const finished: number[] = [];
    const task = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
      running--;
      finished.push(i);
      if (i === 4) throw new Error('one batch fails');
      return i;
    };
    const calls = Array.from({ length: 9 }, (_, i) => limited('k', 3, task(i)));
    await allSettled('k');
    expect(finished).toHaveLength(9);
    expect(most).toBe(3);
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(await limited('other', 1, async () => 'alone')).toBe('alone');
  });
});
