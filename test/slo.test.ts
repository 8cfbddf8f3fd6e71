import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SloEvent } from '../src/index.js';
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
