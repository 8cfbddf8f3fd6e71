import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ask, startFleet, type Fleet } from './fleet.js';
import { playBackoff, timeOutHangingTries, useFakeClock } from './support/clock.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await startFleet();
  useFakeClock(); // time moves only when a test says: a timer left behind stays pending, and is counted
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await fleet.close();
});

/**
 * The timers still pending, started by anyone but Node's own HTTP client (whose pool keeps each idle
 * keep-alive socket on a timer of its own): the client's, its breakers', openai's and the mock's alike.
 */
function trackTimers(): { pending(): number; started(): number } {
  const pending = new Set<unknown>();
  let started = 0;
  const { setTimeout: set, clearTimeout: clear, setInterval: every, clearInterval: stop } = globalThis;
  const httpPool = (): boolean => /node:internal\/deps\/undici/.test(new Error().stack ?? '');
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (httpPool()) return set(fn, ms, ...args);
    started++;
    const timer = set((...late: unknown[]) => (pending.delete(timer), fn(...late)), ms, ...args);
    pending.add(timer);
    return timer;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = every(fn, ms, ...args);
    if (httpPool()) return timer;
    started++;
    pending.add(timer);
    return timer;
  }) as typeof setInterval);
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation((timer) => (pending.delete(timer), clear(timer)));
  vi.spyOn(globalThis, 'clearInterval').mockImplementation((timer) => (pending.delete(timer), stop(timer)));
  return { pending: () => pending.size, started: () => started };
}

async function drain(stream: AsyncIterable<ChatCompletionChunk>): Promise<void> {
  for await (const _ of stream);
}

describe('resources', () => {
  it('10,000 calls sharing one caller signal leave no listener on it and no timer behind', async () => {
    const timers = trackTimers();
    const client = fleet.client();
    const controller = new AbortController();
    const call = () => client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: controller.signal });
    await call();
    const idle = timers.pending(); // what the client keeps between calls: its breaker's rolling window
    const startedByOne = timers.started();

    for (let batch = 0; batch < 100; batch++) await Promise.all(Array.from({ length: 100 }, call));

    expect(fleet.primary.requests).toHaveLength(10_000); // the mock keeps the last 10,000 of the 10,001
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(timers.started()).toBeGreaterThan(startedByOne); // the calls' own timers were seen...
    expect(timers.pending()).toBe(idle); // ...and none is left
    await client.close();
    expect(timers.pending()).toBe(0);
  }, 120_000);

  it('100 calls in flight on one caller signal share one listener on it, and an abort reaches them all', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { fault: 'hang' });
    const controller = new AbortController();

    const calls = Array.from({ length: 100 }, () =>
      client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: controller.signal }).catch((e: unknown) => e),
    );
    await fleet.primary.waitForRequests(100);
    const listenersInFlight = getEventListeners(controller.signal, 'abort').length;
    controller.abort();
    const outcomes = await Promise.all(calls);

    expect(listenersInFlight).toBe(1);
    expect(outcomes.every((e) => (e as Error).constructor.name === 'APIUserAbortError')).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('failed calls, retries, timeouts and fallbacks leave no listener and no timer either', async () => {
    const timers = trackTimers();
    const client = fleet.client({ retry: { retries: 1 }, timeouts: { requestMs: 30 } });
    playBackoff(client);
    timeOutHangingTries(client, { mock: fleet.secondary, provider: 'secondary', model: 'eco-mini', limitMs: 30 });
    const controller = new AbortController();
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { fault: 'hang' });
    fleet.primary.setReply('warm-std', { status: 400 });

    const failures: unknown[] = [];
    for (let i = 0; i < 20; i++) {
      failures.push(
        await client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: controller.signal }).catch((e: unknown) => e),
      );
    }

    expect(failures.every((e) => (e as { status?: number }).status === 400)).toBe(true); // every path ran to warm-std's 400
    expect(fleet.secondary.requests.length).toBeGreaterThan(0); // and some through a time limit
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await client.close(); // stops the breakers, some of them open, with their own timers
    expect(timers.pending()).toBe(0);
  });

  it('shadows answered, failed or hanging leave no timer once close() has ended them', async () => {
    const timers = trackTimers();
    const client = fleet.client({ shadow: { sampleRate: 1, model: 'hot', judge: () => 1, maxConcurrent: 10 } });
    const settled: string[] = [];
    client.on('shadow:result', () => settled.push('result'));
    client.on('shadow:dropped', (e) => settled.push(e.reason));
    fleet.secondary.enqueue('hot-max', {}, { status: 400 }, { fault: 'hang' }, { fault: 'hang' });

    for (let i = 0; i < 4; i++) await client.chat.completions.create({ model: 'economy', messages: ask(`Question ${i}`) });
    await fleet.secondary.waitForRequests(4);
    await client.close();

    expect(settled.sort()).toEqual(['closed', 'closed', 'failed', 'result']);
    expect(timers.pending()).toBe(0);
    expect(await Promise.all(fleet.secondary.requests.map((r) => r.settled))).toEqual([
      'completed',
      'completed',
      'closed-early',
      'closed-early',
    ]);
  });

  it('streams, whole, broken off, interrupted or aborted, leave no listener and no timer', async () => {
    const timers = trackTimers();
    const client = fleet.client();
    const controller = new AbortController();
    const signal = controller.signal;
    const content = 'Streams must clean up after themselves, every time.';

    fleet.primary.setReply('eco-mini', { content });
    await drain(await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }, { signal }));
    for await (const _ of await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }, { signal })) break;
    fleet.primary.setReply('eco-mini', { content, cutAfterChunks: 2 });
    await drain(await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }, { signal })).catch(
      () => undefined,
    );
    const other = new AbortController();
    fleet.primary.setReply('eco-mini', { content, hangAfterChunks: 1 });
    const aborted = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true }, { signal: other.signal });
    const whileStreaming = timers.pending();
    other.abort();
    await drain(aborted).catch(() => undefined);

    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    expect(whileStreaming).toBeGreaterThan(timers.pending()); // the stream's own time limits were there, and went with it
    await client.close();
    expect(timers.pending()).toBe(0);
  });
});
