import { vi } from 'vitest';
import type { TieredEventName, TieredEvents } from '../../src/index.js';
import type { MockOpenAI } from '../../src/testing/index.js';

/**
 * The clocks the package and its libraries read: timers (time limits, backoff, p-retry, opossum's
 * reset timer and rolling window, the mock server's `latencyMs` and `chunkDelayMs`), `Date`
 * (windows, cool-downs, budgets) and `performance` (latencies). `setImmediate`, `process.nextTick`
 * and `queueMicrotask` stay real: the in-process mock server answers over real sockets and needs them.
 */
const faked = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const;

/** A fixed start, so that budget and metrics windows begin where a test expects them to. */
const start = new Date('2026-11-29T12:00:00.000Z');

/**
 * Fakes the package's clocks: time moves only when the test moves it. Pair it with
 * `afterEach(() => vi.useRealTimers())`.
 */
export function useFakeClock(now: Date = start): void {
  vi.useFakeTimers({ toFake: [...faked], now });
}

let moving: Promise<unknown> = Promise.resolve();

/**
 * Moves the fake clock `ms` forward, firing the timers due on the way, once any move already under
 * way has finished; so a listener may call it without awaiting. The move begins after the current
 * turn of the event loop, so a timer set in reaction to the same event (in the same synchronous
 * run or its promise jobs) is due in it.
 */
export function advance(ms: number): Promise<void> {
  // A move still queued when its test has ended (and restored the real timers) is dropped.
  const next = moving.then(() => (vi.isFakeTimers() ? vi.advanceTimersByTimeAsync(ms) : undefined));
  moving = next.catch(() => undefined);
  return next.then(() => undefined);
}

type Listening = { on<E extends TieredEventName>(event: E, listener: TieredEvents[E]): () => void };

/** Resolves with the payload of the next `event` the client emits. */
export function nextEvent<E extends TieredEventName>(client: Listening, event: E): Promise<Parameters<TieredEvents[E]>[0]> {
  return new Promise((resolve) => {
    const off = client.on(event, ((payload: Parameters<TieredEvents[E]>[0]) => {
      off();
      resolve(payload);
    }) as TieredEvents[E]);
  });
}

/**
 * Plays every wait between two attempts of the client on the fake clock as soon as it begins (the
 * `delayMs` that `attempt:error` announces, 0 included): for tests whose subject is not the wait.
 */
export function playBackoff(client: Listening): void {
  client.on('attempt:error', (e) => {
    if (e.willRetry) void advance(e.delayMs ?? 0);
  });
}

/**
 * Plays the time limit of each attempt of `model` on `provider` (served by `mock`, scripted to hang) on
 * the fake clock, once the attempt's request has reached the mock: for tests whose subject is not the limit.
 */
export function timeOutHangingTries(
  client: Listening,
  hanging: { readonly mock: MockOpenAI; readonly provider: string; readonly model: string; readonly limitMs: number },
): void {
  const { mock, provider, model, limitMs } = hanging;
  client.on('attempt:start', (e) => {
    if (e.provider !== provider || e.model !== model) return;
    void mock.waitForRequests(mock.requests.length + 1).then(() => advance(limitMs));
  });
}
