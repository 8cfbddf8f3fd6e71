import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamFollower, type StreamReader, type StreamRecord } from './StreamFollower.js';

/** A reader that answers each read with the next scripted outcome, then waits until closed. */
function scriptedReader(outcomes: (readonly StreamRecord[] | Error)[]) {
  const reads: { after: string; block: boolean }[] = [];
  let release: (() => void) | undefined;
  const reader: StreamReader = {
    read(after, block) {
      reads.push({ after, block });
      const next = outcomes.shift();
      if (next instanceof Error) return Promise.reject(next);
      if (next !== undefined) return Promise.resolve(next);
      return new Promise((resolve) => (release = () => resolve([])));
    },
    close: () => release?.(),
  };
  return { reader, reads };
}

const record = (id: string): StreamRecord => ({ id, fields: [] });
const down = (n: number) => Array.from({ length: n }, (_, i) => new Error(`Redis XREAD failed: down (${i + 1})`));

let follower: StreamFollower | undefined;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  await follower?.stop();
  vi.useRealTimers();
});

function follow(outcomes: (readonly StreamRecord[] | Error)[], batch = 2) {
  const { reader, reads } = scriptedReader(outcomes);
  const seen: string[] = [];
  const errors: string[] = [];
  follower = new StreamFollower(
    reader,
    batch,
    (r) => seen.push(r.id),
    (e) => errors.push(e.message),
  );
  return { reads, seen, errors, follower };
}

describe('StreamFollower', () => {
  it('reports an outage once, however many reads fail in it, and the next outage once more', async () => {
    const { errors, reads } = follow([...down(6), [record('1-0')], ...down(3), []]);

    await vi.runAllTimersAsync();

    expect(errors).toEqual(['Redis XREAD failed: down (1)', 'Redis XREAD failed: down (1)']);
    expect(reads).toHaveLength(12); // 6 failed, 1 read, 3 failed, 1 read, then the one waiting for more
  });

  it('resumes after a failure from the last id it saw, so nothing published meanwhile is missed', async () => {
    const { reads, seen } = follow([[record('1-0'), record('2-0')], [record('3-0')], ...down(2), [record('4-0')]]);

    await vi.runAllTimersAsync();

    expect(seen).toEqual(['1-0', '2-0', '3-0', '4-0']);
    expect(reads.map((r) => r.after)).toEqual(['0-0', '2-0', '3-0', '3-0', '3-0', '4-0']);
  });

  it('reads without blocking until it has caught up (a short batch), then blocks', async () => {
    const { reads, follower } = follow([[record('1-0'), record('2-0')], [record('3-0')], [record('4-0')]]);
    let ready = false;
    void follower.ready.then(() => (ready = true));

    await vi.runAllTimersAsync();

    expect(ready).toBe(true);
    expect(reads.map((r) => r.block)).toEqual([false, false, true, true]);
  });

  it('is ready at the first failure: the local index serves without waiting for Redis', async () => {
    const { follower } = follow(down(50));

    await vi.advanceTimersByTimeAsync(0);

    await expect(follower.ready).resolves.toBeUndefined();
  });

  it('pauses longer and longer between failed reads, up to 2 s', async () => {
    const { reads } = follow(down(8));

    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      await vi.advanceTimersToNextTimerAsync();
      times.push(Date.now());
    }

    expect(reads.length).toBeGreaterThanOrEqual(8);
    expect(times.map((t, i) => t - (times[i - 1] ?? times[0]! - 100))).toEqual([100, 200, 400, 800, 1600, 2000, 2000, 2000]);
  });

  it('stops during a pause at once, and reads no more', async () => {
    const { reads, follower } = follow(down(3));
    await vi.advanceTimersByTimeAsync(0);
    const count = reads.length;

    await follower.stop();
    await vi.runAllTimersAsync();

    expect(reads).toHaveLength(count);
    expect(vi.getTimerCount()).toBe(0);
  });
});
