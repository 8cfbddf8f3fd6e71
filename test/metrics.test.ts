import { afterEach, describe, expect, it, vi } from 'vitest';
import { ask, useFleet, type Recorded } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

const fleet = useFleet();
afterEach(() => vi.useRealTimers());

const exact = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
};

/** One economy call that primary answers after `ms` on the fake clock. */
async function slowCall(client: ReturnType<typeof fleet.client>, ms: number): Promise<void> {
  fleet.primary.setReply('eco-mini', { latencyMs: ms });
  const call = client.tieredChat({ model: 'economy', messages: ask() });
  await fleet.primary.waitForRequests(fleet.primary.requests.length + 1);
  await advance(ms);
  await call;
}

/** Reads a stream to its end. */
async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream);
}

describe('client.metrics()', () => {
  it('counts calls, errors, tokens, cost and savings per tier, model and deployment', async () => {
    const client = fleet.client({ fallback: 'none', retry: { retries: 0 }, cache: {} });
    fleet.primary.setReply('eco-mini', { usage: { promptTokens: 1_000, completionTokens: 100 } });
    fleet.primary.setReply('warm-std', { status: 400 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() }); // a cache hit
    await client.tieredChat({ model: 'warm', messages: ask() }).catch(() => undefined);

    const metrics = client.metrics();

    const economy = metrics.byTier.economy!;
    const cost = (1_000 * 0.1 + 100 * 0.4) / 1e6;
    const onBaseline = (1_000 * 5 + 100 * 20) / 1e6; // hot-max, the first model of the priciest tier
    expect(metrics.baselineModel).toBe('hot-max');
    expect(economy).toMatchObject({ requests: 2, errors: 0, cacheHits: 1, cacheHitRate: 0.5, inputTokens: 2_000, outputTokens: 200 });
    expect(economy.costUsd).toBeCloseTo(cost, 12);
    expect(economy.savedVsBaselineUsd).toBeCloseTo(onBaseline - cost + onBaseline, 12); // the hit saved all of it
    expect(economy.cacheSavedUsd).toBeCloseTo(cost, 12); // what the hit did not cost
    expect(economy).not.toHaveProperty('savedUsd');
    expect(metrics.byModel['eco-mini']?.requests).toBe(2);
    expect(metrics.byDeployment['primary/eco-mini']?.requests).toBe(2);
    expect(metrics.byTier.warm).toMatchObject({ requests: 1, errors: 1, errorRate: 1 });
    expect(metrics.total).toMatchObject({ requests: 3, errors: 1 });
  });

  it('counts every call under its operation in byOperation, as byTier does: chat calls, hits and failures all under chat', async () => {
    const client = fleet.client({ fallback: 'none', retry: { retries: 0 }, cache: {} });
    fleet.primary.setReply('warm-std', { status: 400 });
    expect(client.metrics().byOperation).toEqual({}); // only operations that happened appear

    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'economy', messages: ask() }); // a cache hit
    await client.tieredChat({ model: 'warm', messages: ask() }).catch(() => undefined);
    await client.chat.completions.create({ model: 'economy', messages: ask('Streamed.'), stream: true }).then(drain);

    const { byOperation, total } = client.metrics();
    expect(Object.keys(byOperation)).toEqual(['chat']);
    expect(byOperation.chat).toMatchObject({ requests: 4, errors: 1, cacheHits: 1 });
    expect(byOperation.chat).toEqual(total); // chat alone: every count and window is the total's
  });

  it('sums costs and savings exactly, as the events report them', async () => {
    const client = fleet.client({ fallback: 'none', cache: {} });
    const ends: Recorded[] = [];
    client.on('request:end', (payload) => void ends.push({ name: 'request:end', payload }));
    fleet.primary.setReply('eco-mini', { usage: { promptTokens: 13, completionTokens: 7 } });
    for (const text of ['a', 'b', 'c', 'd', 'a']) await client.tieredChat({ model: 'economy', messages: ask(text) }); // the last one a hit

    const economy = client.metrics().byTier.economy!;

    // $0.1 / $0.4 per MTok: 13 + 7 tokens cost $0.0000041; on the baseline ($5 / $20) $0.000205.
    expect(ends.map((e) => e.name === 'request:end' && [e.payload.costUsd, e.payload.savedUsd])).toEqual([
      [0.0000041, 0],
      [0.0000041, 0],
      [0.0000041, 0],
      [0.0000041, 0],
      [0, 0.0000041],
    ]);
    expect(economy.costUsd).toBe(0.0000164);
    expect(economy.cacheSavedUsd).toBe(0.0000041);
    expect(economy.savedVsBaselineUsd).toBe(0.0010086); // 4 x (0.000205 - 0.0000041) + 0.000205 for the hit
    expect(client.metrics().total).toMatchObject({ costUsd: 0.0000164, cacheSavedUsd: 0.0000041, savedVsBaselineUsd: 0.0010086 });
  });

  it('reports latency percentiles within 1% of the exact ones', async () => {
    useFakeClock();
    const client = fleet.client();
    const latencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      // 1 to 300 ms, shuffled (7919 is prime to 300): the fake clock makes each latency exact.
      const latencyMs = ((i * 7919) % 300) + 1;
      fleet.primary.setReply('eco-mini', { latencyMs });
      const call = client.tieredChat({ model: 'economy', messages: ask() });
      await fleet.primary.waitForRequests(i + 1);
      await advance(latencyMs);
      latencies.push((await call).latencyMs);
    }
    expect(new Set(latencies).size).toBe(300);

    const { latencyMs } = client.metrics().total;

    for (const [key, p] of [
      ['p50', 50],
      ['p95', 95],
      ['p99', 99],
    ] as const) {
      expect(Math.abs(latencyMs[key] - exact(latencies, p)) / exact(latencies, p)).toBeLessThan(0.011);
    }
  });

  it('counts fallbacks, retries and breaker trips', async () => {
    const client = fleet.client({ retry: { retries: 1 }, breaker: { volumeThreshold: 2 } });
    fleet.primary.setReply('eco-mini', { status: 500 });

    await client.tieredChat({ model: 'economy', messages: ask() });

    const total = client.metrics().total;
    expect(total).toMatchObject({ fallbacks: 1, retries: 1, breakerOpens: 1 });
    expect(client.metrics().byDeployment['primary/eco-mini']?.breakerOpens).toBe(1);
  });

  it('forgets old latencies but keeps counting', async () => {
    useFakeClock();
    const client = fleet.client({ metrics: { windowMs: 60_000 } });
    await slowCall(client, 25);
    expect(client.metrics().total.latencyMs.p50).toBeCloseTo(25, 0);

    vi.setSystemTime(Date.now() + 120_000);

    expect(client.metrics().total).toMatchObject({ requests: 1, latencyMs: { p50: 0, p95: 0, p99: 0, p999: 0 } });
  });
});

describe("client.metrics()'s outputTokensPerSecond", () => {
  it("divides a non-streaming call's output tokens by its answering attempt, retries and waits left out", async () => {
    useFakeClock();
    const client = fleet.client({ retry: { retries: 1, minTimeoutMs: 50, maxTimeoutMs: 50 } });
    let tries = 0;
    fleet.primary.setReply('eco-mini', () => (++tries === 1 ? { status: 503 } : { latencyMs: 200, usage: { completionTokens: 100 } }));
    client.on('attempt:error', (e) => void advance(e.delayMs ?? 0));
    const call = client.tieredChat({ model: 'economy', messages: ask() });
    await fleet.primary.waitForRequests(2);
    await advance(200);
    await call;

    const { outputTokensPerSecond } = client.metrics().byDeployment['primary/eco-mini']!;

    expect(outputTokensPerSecond.p50).toBeCloseTo(500, -1); // 100 tokens in 200 ms, within the histogram's 1%
    expect(Math.abs(outputTokensPerSecond.p95! - 500) / 500).toBeLessThan(0.011);
  });

  it("divides a stream's output tokens by the time from its first token to its end", async () => {
    useFakeClock();
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: 'A story told in a few chunks.', latencyMs: 30, usage: { completionTokens: 30 } });
    const reading = (async () => {
      let first = true;
      for await (const chunk of client.tieredChat({ model: 'economy', messages: ask(), stream: true })) {
        if (chunk.choices[0]?.delta.content && first) {
          first = false;
          await advance(15); // the rest of the answer takes 15 ms after the first token
        }
      }
    })();
    await fleet.primary.waitForRequests(1);
    await advance(30); // before the first token: not generation time
    await reading;

    const { p50 } = client.metrics().total.outputTokensPerSecond;

    expect(Math.abs(p50! - 2_000) / 2_000).toBeLessThan(0.011); // 30 tokens in 15 ms
  });

  it('is null without a sample: before any call, for cache hits and failures, and once the window has passed', async () => {
    useFakeClock();
    const client = fleet.client({ cache: {}, fallback: 'none', retry: { retries: 0 } });
    const none = { p50: null, p95: null };
    expect(client.metrics().total.outputTokensPerSecond).toEqual(none);
    fleet.primary.setReply('warm-std', { status: 500 });
    await slowCall(client, 10);
    await client.tieredChat({ model: 'economy', messages: ask() }); // a cache hit
    await client.tieredChat({ model: 'warm', messages: ask() }).catch(() => undefined);

    const metrics = client.metrics();
    vi.setSystemTime(Date.now() + 120_000);

    expect(metrics.byTier.economy?.outputTokensPerSecond.p50).toBeGreaterThan(0);
    expect(metrics.byTier.economy?.cacheHits).toBe(1);
    expect(metrics.byTier.warm?.outputTokensPerSecond).toEqual(none);
    expect(client.metrics().total.outputTokensPerSecond).toEqual(none);
  });
});

describe('client.health()', () => {
  it('reports no latency (null), not a fast one, for a deployment without a sample', async () => {
    useFakeClock();
    const client = fleet.client();
    await slowCall(client, 25);

    const [first, ...rest] = client.health();

    expect(first?.latencyMs).toEqual({ p50: 25, p99: 25 });
    expect(rest.map((h) => h.latencyMs)).toEqual([
      { p50: null, p99: null },
      { p50: null, p99: null },
      { p50: null, p99: null },
    ]);
  });
});
