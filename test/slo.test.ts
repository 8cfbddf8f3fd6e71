import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, type SloEvent } from '../src/index.js';
import { ask, startFleet, type Fleet } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await startFleet();
  useFakeClock(new Date('2026-11-29T12:00:00Z'));
});
afterEach(async () => {
  vi.useRealTimers();
  await fleet.close();
});

const watch = (client: ReturnType<Fleet['client']>) => {
  const seen: string[] = [];
  const log = (name: string) => (e: SloEvent) => seen.push(`${name} ${e.scope} ${e.metric} ${e.value > e.target ? '>' : '<='} ${e.target}`);
  client.on('slo:breach', log('breach'));
  client.on('slo:recovered', log('recovered'));
  return seen;
};
const tick = () => vi.setSystemTime(Date.now() + 1_000);

/**
 * Streams one answer of `tier` (eco-mini and warm-std live on the primary mock) to its end. The mock
 * sends the role chunk at once and waits `chunkDelayMs` before every later event: the first token
 * comes one delay after the request, and each chunk read lets the next delay pass on the fake clock.
 */
async function streamOne(client: ReturnType<Fleet['client']>, tier: 'economy' | 'warm', chunkDelayMs: number): Promise<void> {
  fleet.primary.setReply(tier === 'economy' ? 'eco-mini' : 'warm-std', { content: 'A short answer.', chunkChars: 8, chunkDelayMs });
  const sent = fleet.primary.requests.length;
  const reading = (async () => {
    const stream = client.tieredChat({ model: tier, messages: ask(), stream: true, stream_options: { include_usage: true } });
    for await (const _chunk of stream) void advance(chunkDelayMs);
  })();
  await fleet.primary.waitForRequests(sent + 1);
  await advance(chunkDelayMs);
  await reading;
  // The move after the last chunk is still queued: done before the next stream starts its clock.
  await advance(0);
}

describe('service-level objectives', () => {
  it('report a breach of the error rate once, and the recovery once the window has forgotten it', async () => {
    const client = fleet.client({ slo: { errorRate: 0.5, minRequests: 4 }, fallback: 'none', metrics: { windowMs: 60_000 } });
    const seen = watch(client);
    fleet.primary.setReply('eco-mini', { status: 400 });
    for (let i = 0; i < 5; i++, tick()) await client.tieredChat({ model: 'economy', messages: ask() }).catch(() => undefined);

    vi.setSystemTime(Date.now() + 70_000);
    fleet.primary.setReply('eco-mini', {});
    for (let i = 0; i < 4; i++, tick()) await client.tieredChat({ model: 'economy', messages: ask() });

    expect(seen).toEqual(['breach client errorRate > 0.5', 'recovered client errorRate <= 0.5']);
  });

  it('hold each tier to its own latency objectives', async () => {
    const client = fleet.client({ slo: { tiers: { economy: { p99Ms: 20, minRequests: 3 } } } });
    const seen = watch(client);
    fleet.primary.setReply('eco-mini', { latencyMs: 40 }); // warm-std answers at once: 0 ms on the fake clock
    for (let i = 0; i < 3; i++, tick()) {
      const call = client.tieredChat({ model: 'economy', messages: ask() });
      await fleet.primary.waitForRequests(i + 1);
      await advance(40);
      await call;
    }
    for (let i = 0; i < 3; i++, tick()) await client.tieredChat({ model: 'warm', messages: ask() });

    expect(seen).toEqual(['breach economy p99Ms > 20']);
  });

  it('report a breach of the time to first token once, and the recovery once, whatever the chunks after it take', async () => {
    const client = fleet.client({ slo: { ttftP95Ms: 20, minRequests: 3 }, metrics: { windowMs: 60_000 } });
    const seen = watch(client);
    for (let i = 0; i < 4; i++, tick()) await streamOne(client, 'economy', 40);
    expect(client.metrics().total.ttftMs.p95).toBeCloseTo(40, 0);

    vi.setSystemTime(Date.now() + 70_000);
    for (let i = 0; i < 4; i++, tick()) await streamOne(client, 'economy', 10);

    expect(seen).toEqual(['breach client ttftP95Ms > 20', 'recovered client ttftP95Ms <= 20']);
  });

  it('hold each tier to its own time-to-first-token objectives', async () => {
    const client = fleet.client({
      slo: { tiers: { economy: { ttftP99Ms: 20, minRequests: 3 }, warm: { ttftP50Ms: 20, minRequests: 3 } } },
    });
    const seen = watch(client);
    for (let i = 0; i < 3; i++, tick()) await streamOne(client, 'economy', 40);
    for (let i = 0; i < 3; i++, tick()) await streamOne(client, 'warm', 10);

    expect(seen).toEqual(['breach economy ttftP99Ms > 20']);
  });

  it('never judge the time to first token of a client without streams', async () => {
    const client = fleet.client({ slo: { ttftP50Ms: 1, p99Ms: 20, minRequests: 3 } });
    const seen = watch(client);
    fleet.primary.setReply('eco-mini', { latencyMs: 40 });
    for (let i = 0; i < 4; i++, tick()) {
      const call = client.tieredChat({ model: 'economy', messages: ask() });
      await fleet.primary.waitForRequests(i + 1);
      await advance(40);
      await call;
    }

    expect(seen).toEqual(['breach client p99Ms > 20']);
  });

  it('count only streams toward minRequests of a time-to-first-token objective', async () => {
    const client = fleet.client({ slo: { ttftP50Ms: 20, minRequests: 3 } });
    const seen = watch(client);
    for (let i = 0; i < 3; i++, tick()) await client.tieredChat({ model: 'economy', messages: ask() });
    for (let i = 0; i < 2; i++, tick()) await streamOne(client, 'economy', 40);
    expect(seen).toEqual([]);

    await streamOne(client, 'economy', 40);
    expect(seen).toEqual(['breach client ttftP50Ms > 20']);
  });

  it('judge nothing before minRequests calls', async () => {
    const client = fleet.client({ slo: { errorRate: 0, minRequests: 10 }, fallback: 'none' });
    const seen = watch(client);
    fleet.primary.setReply('eco-mini', { status: 400 });
    for (let i = 0; i < 5; i++, tick()) await client.tieredChat({ model: 'economy', messages: ask() }).catch(() => undefined);

    expect(seen).toEqual([]);
  });

  it('name a time-to-first-token objective that is not a non-negative number as a ConfigError', () => {
    expect(() => fleet.client({ slo: { ttftP95Ms: -1 } })).toThrow(expect.objectContaining({ field: 'slo.ttftP95Ms' }));
    expect(() => fleet.client({ slo: { tiers: { warm: { ttftP99Ms: Number.NaN } } } })).toThrow(
      expect.objectContaining({ field: 'slo.tiers.warm.ttftP99Ms' }),
    );
  });

  it('name a tier that does not exist as a ConfigError', () => {
    expect(() => fleet.client({ slo: { tiers: { platinum: { p99Ms: 1 } } as never } })).toThrow(
      expect.objectContaining({ field: 'slo.tiers.platinum' }),
    );
  });
});

describe('a quality objective', () => {
  const events = (client: ReturnType<Fleet['client']>) => {
    const seen: string[] = [];
    const log = (name: string) => (e: SloEvent) =>
      seen.push(`${name} ${e.scope} ${e.metric} ${e.value.toFixed(2)} vs ${e.target} over ${e.windowMs}`);
    client.on('slo:breach', log('breach'));
    client.on('slo:recovered', log('recovered'));
    return seen;
  };
  /** `count` answered calls of `tier`, one a second: their request ids. */
  const answer = async (client: ReturnType<Fleet['client']>, count: number, tier: 'economy' | 'warm' = 'economy') => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++, tick()) ids.push((await client.tieredChat({ model: tier, messages: ask() })).requestId);
    return ids;
  };
  const rate = (client: ReturnType<Fleet['client']>, ids: readonly string[], score: number) => {
    for (const id of ids) {
      expect(client.feedback(id, { score })).toBe(true);
      tick();
    }
  };

  it('reports feedback whose mean in the window is below minScore once, and the recovery once, with the mean as value', async () => {
    const client = fleet.client({ slo: { quality: { minScore: 0.7, minSamples: 3 } }, metrics: { windowMs: 60_000 } });
    const seen = events(client);
    rate(client, await answer(client, 4), 0.2);
    expect(seen).toEqual(['breach client quality 0.20 vs 0.7 over 60000']);

    // (4 × 0.2 + 6 × 1) / 10 = 0.68 is still below; the 7th good score lifts the mean to 7.8 / 11 = 0.71.
    const later = await answer(client, 7);
    rate(client, later.slice(0, 6), 1);
    expect(seen).toHaveLength(1);
    rate(client, later.slice(6), 1);

    expect(seen).toEqual(['breach client quality 0.20 vs 0.7 over 60000', 'recovered client quality 0.71 vs 0.7 over 60000']);
  });

  it('forgets the scores that have left the window', async () => {
    const client = fleet.client({ slo: { quality: { minScore: 0.5, minSamples: 2 } }, metrics: { windowMs: 60_000 } });
    const seen = events(client);
    rate(client, await answer(client, 2), 0);
    vi.setSystemTime(Date.now() + 70_000);
    rate(client, await answer(client, 2), 0.9);

    expect(seen).toEqual(['breach client quality 0.00 vs 0.5 over 60000', 'recovered client quality 0.90 vs 0.5 over 60000']);
  });

  it('counts a replaced feedback once: the new score in the window, the old one taken out', async () => {
    const client = fleet.client({ slo: { quality: { minScore: 0.6, minSamples: 2 } } });
    const seen = events(client);
    const ids = await answer(client, 2);
    for (const id of ids) {
      client.feedback(id, { thumbs: 'down' });
      tick();
    }
    expect(seen).toEqual(['breach client quality 0.00 vs 0.6 over 60000']);

    // Four scores of which two replaced: the mean is of the two that stand, 0.5 and then 1.
    client.feedback(ids[0]!, { thumbs: 'up' });
    tick();
    expect(seen).toHaveLength(1);
    client.feedback(ids[1]!, { thumbs: 'up' });

    expect(seen).toEqual(['breach client quality 0.00 vs 0.6 over 60000', 'recovered client quality 1.00 vs 0.6 over 60000']);
  });

  it('judges nothing below minSamples scores, however poor', async () => {
    const client = fleet.client({ slo: { quality: { minScore: 0.9 } } });
    const seen = events(client);
    rate(client, await answer(client, 19), 0);
    expect(seen).toEqual([]);

    rate(client, await answer(client, 1), 0);
    expect(seen).toEqual(['breach client quality 0.00 vs 0.9 over 60000']);
  });

  it('holds each tier to its own quality objective, on the feedback of its answers', async () => {
    const client = fleet.client({
      slo: { tiers: { economy: { quality: { minScore: 0.5, minSamples: 2 } }, warm: { quality: { minScore: 0.5, minSamples: 2 } } } },
    });
    const seen = events(client);
    rate(client, await answer(client, 2, 'economy'), 0.1);
    rate(client, await answer(client, 2, 'warm'), 0.8);

    expect(seen).toEqual(['breach economy quality 0.10 vs 0.5 over 60000']);
  });

  it('names a quality objective that is not { minScore from 0 to 1, minSamples a whole number from 1 } as a ConfigError', () => {
    const field = (slo: object) => {
      try {
        fleet.client({ slo } as never);
      } catch (error) {
        return ConfigError.isInstance(error) ? error.field : error;
      }
      return 'accepted';
    };

    expect(field({ quality: {} })).toBe('slo.quality.minScore');
    expect(field({ quality: { minScore: 1.5 } })).toBe('slo.quality.minScore');
    expect(field({ quality: { minScore: Number.NaN } })).toBe('slo.quality.minScore');
    expect(field({ quality: { minScore: 0.7, minSamples: 0 } })).toBe('slo.quality.minSamples');
    expect(field({ quality: { minScore: 0.7, minSamples: 2.5 } })).toBe('slo.quality.minSamples');
    expect(field({ quality: { minScore: 0.7, minRequests: 3 } })).toBe('slo.quality.minRequests');
    expect(field({ quality: 0.7 })).toBe('slo.quality');
    expect(field({ tiers: { warm: { quality: { minScore: -0.1 } } } })).toBe('slo.tiers.warm.quality.minScore');
    expect(field({ quality: { minScore: 0, minSamples: 1 } })).toBe('accepted');
  });
});
