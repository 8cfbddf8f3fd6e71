import { afterEach, describe, expect, it, vi } from 'vitest';
import { costOf } from '../src/index.js';
import { ask, useFleet } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

const fleet = useFleet({ embeddings: true });
afterEach(() => vi.useRealTimers());

/**
 * Two answered calls of known usage (and a cache hit and a failure, neither counted):
 * - economy, eco-mini ($0.1 / $0.4): 1,000 prompt and 200 completion tokens, $0.00018;
 * - warm, warm-std ($1, cached $0.25, $4): 2,000 prompt tokens (1,000 cached) and 500 completion tokens, $0.00325.
 * Together: 3,000 prompt tokens (1,000 cached) and 700 completion tokens, $0.00343.
 */
async function twoAnsweredCalls() {
  const client = fleet.client({ cache: {}, fallback: 'none', retry: { retries: 0 } });
  fleet.primary.setReply('eco-mini', { usage: { promptTokens: 1_000, completionTokens: 200 } });
  fleet.primary.setReply('warm-std', { usage: { promptTokens: 2_000, completionTokens: 500, cachedTokens: 1_000 } });
  fleet.secondary.setReply('hot-max', { status: 500 });
  await client.tieredChat({ model: 'economy', messages: ask('One.') });
  await client.tieredChat({ model: 'warm', messages: ask('Two.') });
  await client.tieredChat({ model: 'economy', messages: ask('One.') }); // an exact hit: not counted
  await expect(client.tieredChat({ model: 'hot', messages: ask('Three.') })).rejects.toThrow(); // failed: not counted
  return client;
}

describe('client.costReport()', () => {
  it('counts the tokens of answered calls, not cache hits or failures, with what they actually cost', async () => {
    const client = await twoAnsweredCalls();

    const report = client.costReport({ monthlyCalls: 1_000_000 });

    expect(report).toMatchObject({
      calls: 2,
      usage: { inputTokens: 3_000, cachedInputTokens: 1_000, outputTokens: 700 },
      actual: { answersUsd: 0.00343, routingUsd: 0, embeddingUsd: 0, totalUsd: 0.00343 },
    });
  });

  it('reprices the usage on every chat model of the catalog, exactly tokens times prices, the embedding model left out', async () => {
    const client = await twoAnsweredCalls();

    const { byModel, usage } = client.costReport();

    expect(Object.keys(byModel)).toEqual(['eco-mini', 'warm-std', 'hot-max']);
    // eco-mini: 2,000 x 0.1 + 1,000 x 0.1 (no cached price: the input price) + 700 x 0.4 = 580 micro-dollars
    // warm-std: 2,000 x 1 + 1,000 x 0.25 + 700 x 4 = 5,050; hot-max: 2,000 x 5 + 1,000 x 5 + 700 x 20 = 29,000
    expect(Object.values(byModel).map((m) => m.costUsd)).toEqual([0.00058, 0.00505, 0.029]);
    for (const repriced of Object.values(byModel)) {
      expect(repriced.costUsd).toBe(costOf(usage, repriced.prices));
      expect(repriced.actualUsd).toBe(0.00343);
      expect(repriced.differenceUsd).toBe(Number((repriced.costUsd - 0.00343).toFixed(12)));
    }
    expect(byModel['warm-std']).toMatchObject({
      model: 'warm-std',
      provider: 'primary',
      tier: 'warm',
      prices: { inputCostPerMTok: 1, cachedInputCostPerMTok: 0.25, outputCostPerMTok: 4 },
    });
  });

  it("reprices it as 'everything on tier X', on each tier's first chat model", async () => {
    const client = await twoAnsweredCalls();

    const { byTier } = client.costReport();

    expect(Object.entries(byTier).map(([tier, m]) => [tier, m.model, m.costUsd])).toEqual([
      ['economy', 'eco-mini', 0.00058],
      ['warm', 'warm-std', 0.00505],
      ['hot', 'hot-max', 0.029],
    ]);
  });

  it('projects a month from monthlyCalls: the cost per counted call times the calls', async () => {
    const client = await twoAnsweredCalls();

    const report = client.costReport({ monthlyCalls: 1_000_000 });

    expect(report).toMatchObject({ projectionBasis: 'monthlyCalls', monthlyCalls: 1_000_000 });
    expect(report.byTier.hot?.monthlyUsd).toBe(14_500); // $0.029 / 2 calls x 1,000,000
    expect(report.byModel['eco-mini']?.monthlyUsd).toBe(290);
    expect(report.actual.monthlyUsd).toBe(1_715);
  });

  it('projects a month from the observed call rate without monthlyCalls, and says so', async () => {
    useFakeClock();
    const client = await twoAnsweredCalls();
    await advance(60_000);

    const report = client.costReport();

    // 2 calls in a minute: 86,400 calls in 30 days.
    expect(report).toMatchObject({ projectionBasis: 'observedRate', elapsedMs: 60_000, monthlyCalls: 86_400 });
    expect(report.byTier.hot?.monthlyUsd).toBe(1_252.8); // $0.0145 a call
  });

  it('keeps the routing and embedding calls apart in the actual spend', async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' }, cache: { semantic: { embeddingModel: 'embed-small' } } });
    fleet.primary.enqueue('eco-mini', { content: 'warm', usage: { promptTokens: 120, completionTokens: 1 } }); // $0.0000124
    fleet.primary.setReply('warm-std', { usage: { promptTokens: 30, completionTokens: 10 } }); // $0.00007
    fleet.primary.setReply('embed-small', { usage: { promptTokens: 50 } }); // $0.000001

    await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    expect(client.costReport().actual).toMatchObject({
      answersUsd: 0.00007,
      routingUsd: 0.0000124,
      embeddingUsd: 0.000001,
      totalUsd: 0.0000834,
    });
  });

  it('reports nothing to project before the first call', () => {
    const report = fleet.client().costReport();

    expect(report).toMatchObject({ calls: 0, monthlyCalls: 0, actual: { totalUsd: 0, monthlyUsd: 0 } });
    expect(report.byTier.hot).toMatchObject({ costUsd: 0, monthlyUsd: 0 });
  });

  it('refuses a monthlyCalls that is not a number >= 0 with a ConfigError naming it', () => {
    const client = fleet.client();

    for (const monthlyCalls of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1000' as unknown as number]) {
      expect(() => client.costReport({ monthlyCalls })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'monthlyCalls' }));
    }
  });
});
