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

  it('judge nothing before minRequests calls', async () => {
    const client = fleet.client({ slo: { errorRate: 0, minRequests: 10 }, fallback: 'none' });
    const seen = watch(client);
    fleet.primary.setReply('eco-mini', { status: 400 });
    for (let i = 0; i < 5; i++, tick()) await client.tieredChat({ model: 'economy', messages: ask() }).catch(() => undefined);

    expect(seen).toEqual([]);
  });

  it('name a tier that does not exist as a ConfigError', () => {
    expect(() => fleet.client({ slo: { tiers: { platinum: { p99Ms: 1 } } as never } })).toThrow(
      expect.objectContaining({ field: 'slo.tiers.platinum' }),
    );
  });
});
