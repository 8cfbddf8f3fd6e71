import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ask, startFleet, type Fleet } from './fleet.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await startFleet();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fleet.close();
});

/**
 * Every timer tiered-llm starts (made from a frame in src/, the mock server's aside), and how many of
 * them are its tries' time limits (their callback is AttemptScope's `check`).
 */
function trackTimers(): { live(): number; tries(): number } {
  const ours: { _destroyed?: boolean }[] = [];
  let tries = 0;
  const original = globalThis.setTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = original(fn, ms, ...args);
    if (/\/src\/(?!testing\/)/.test(new Error().stack ?? '')) ours.push(timer as unknown as { _destroyed?: boolean });
    if (fn.name === 'check') tries++;
    return timer;
  }) as typeof setTimeout);
  return { live: () => ours.filter((t) => t._destroyed !== true).length, tries: () => tries };
}

async function drain(stream: AsyncIterable<ChatCompletionChunk>): Promise<void> {
  for await (const _ of stream);
}

describe('resources', () => {
  it('10,000 calls sharing one caller signal leave no listener on it and no timer behind', async () => {
    const timers = trackTimers();
    const client = fleet.client();
    const controller = new AbortController();

    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, () =>
          client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: controller.signal }),
        ),
      );
    }

    expect(fleet.primary.requests).toHaveLength(10_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(timers.tries()).toBe(10_000);
    expect(timers.live()).toBe(0);
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
    const controller = new AbortController();
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { fault: 'hang' });
    fleet.primary.setReply('warm-std', { status: 400 });

    for (let i = 0; i < 20; i++) {
      await client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: controller.signal }).catch(() => undefined);
    }

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(timers.tries()).toBeGreaterThan(0);
    expect(timers.live()).toBe(0);
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
    other.abort();
    await drain(aborted).catch(() => undefined);

    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    expect(timers.tries()).toBe(8); // per stream: one for the first token, one for the idle limit
    expect(timers.live()).toBe(0);
  });
});
