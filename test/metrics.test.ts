import { afterEach, describe, expect, it, vi } from 'vitest';
import { ask, useFleet } from './fleet.js';

const fleet = useFleet();
afterEach(() => vi.useRealTimers());

const exact = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
};

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
    expect(economy.savedUsd).toBeCloseTo(onBaseline - cost + onBaseline, 12); // the hit saved all of it
    expect(metrics.byModel['eco-mini']?.requests).toBe(2);
    expect(metrics.byDeployment['primary/eco-mini']?.requests).toBe(2);
    expect(metrics.byTier.warm).toMatchObject({ requests: 1, errors: 1, errorRate: 1 });
    expect(metrics.total).toMatchObject({ requests: 3, errors: 1 });
  });

  it('reports latency percentiles within 1% of the exact ones', async () => {
    const client = fleet.client();
    const latencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      fleet.primary.setReply('eco-mini', { latencyMs: i % 10 === 0 ? 15 : 0 });
      latencies.push((await client.tieredChat({ model: 'economy', messages: ask() })).latencyMs);
    }

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
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = fleet.client({ metrics: { windowMs: 60_000 } });
    await client.tieredChat({ model: 'economy', messages: ask() });
    expect(client.metrics().total.latencyMs.p50).toBeGreaterThan(0);

    vi.setSystemTime(Date.now() + 120_000);

    expect(client.metrics().total).toMatchObject({ requests: 1, latencyMs: { p50: 0, p95: 0, p99: 0, p999: 0 } });
  });
});
