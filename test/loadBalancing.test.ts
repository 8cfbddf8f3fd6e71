import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTieredClient, defineCatalog, type DeploymentDrainEvent, type TieredClientOptions } from '../src/index.js';
import { startMockOpenAI, type MockOpenAI } from '../src/testing/index.js';
import { ask } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';
import { seeded } from './support/seeded.js';

let us: MockOpenAI;
let eu: MockOpenAI;
beforeEach(async () => {
  [us, eu] = await Promise.all([startMockOpenAI(), startMockOpenAI()]);
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await Promise.all([us.close(), eu.close()]);
});

/**
 * One model in two regions, weighted 1 (us) and 3 (eu), and a pricier fallback tier. Affinity off:
 * every call here asks the same thing, and affinity would keep that one conversation on one
 * deployment (test/affinity.test.ts); these tests are about how calls are spread.
 */
const regions = (options: Omit<TieredClientOptions, 'catalog'> = {}) =>
  createTieredClient({
    affinity: false,
    catalog: defineCatalog({
      providers: { us: { apiKey: 'sk-test-us-region', baseURL: us.url }, eu: { apiKey: 'sk-test-eu-region', baseURL: eu.url } },
      tiers: ['economy', 'hot'],
      models: [
        {
          id: 'fast',
          provider: 'us',
          tier: 'economy',
          inputCostPerMTok: 1,
          outputCostPerMTok: 1,
          contextWindow: 8_000,
          weight: 1,
          region: 'us',
        },
        {
          id: 'fast',
          provider: 'eu',
          tier: 'economy',
          inputCostPerMTok: 1,
          outputCostPerMTok: 1,
          contextWindow: 8_000,
          weight: 3,
          region: 'eu',
        },
        { id: 'big', provider: 'us', tier: 'hot', inputCostPerMTok: 5, outputCostPerMTok: 5, contextWindow: 8_000 },
      ],
    }),
    ...options,
  });

/**
 * Runs one call on the fake clock: if its request reaches `us`, whose replies take `latencyMs`,
 * the clock moves that much once it has arrived; a call answered elsewhere needs no move.
 */
async function onClock<T>(call: () => Promise<T>, latencyMs: number): Promise<T> {
  const reachedUs = us.waitForRequests(us.requests.length + 1).then(() => true);
  const pending = call();
  const ended = pending.then(
    () => false,
    () => false,
  );
  if (await Promise.race([reachedUs, ended])) await advance(latencyMs);
  return pending;
}

describe('load balancing', () => {
  it("'ordered' (the default) sends everything to the first deployment", async () => {
    const client = regions();

    for (let i = 0; i < 10; i++) await client.tieredChat({ model: 'economy', messages: ask() });
    await client.close();

    expect([us.requests.length, eu.requests.length]).toEqual([10, 0]);
  });

  it("'weighted' spreads traffic by the catalog weights", async () => {
    vi.spyOn(Math, 'random').mockImplementation(seeded(42));
    const client = regions({ loadBalancing: 'weighted' });

    for (let i = 0; i < 400; i++) await client.tieredChat({ model: 'economy', messages: ask() });
    await client.close();

    const euShare = eu.requests.length / 400;
    expect(euShare).toBeGreaterThan(0.68);
    expect(euShare).toBeLessThan(0.82);
  });

  it("'least-latency' moves traffic to the faster deployment", async () => {
    useFakeClock();
    us.setReply('fast', { latencyMs: 40 }); // eu answers at once: 0 ms on the fake clock
    const client = regions({ loadBalancing: 'least-latency' });

    for (let i = 0; i < 10; i++) await onClock(() => client.tieredChat({ model: 'economy', messages: ask() }), 40);
    await client.close();

    expect(us.requests.length).toBe(1); // tried once, found slow
    expect(eu.requests.length).toBe(9);
  });

  it('rejects an unknown strategy with a ConfigError', () => {
    expect(() => regions({ loadBalancing: 'random' as 'ordered' })).toThrow(expect.objectContaining({ field: 'loadBalancing' }));
  });
});

describe('draining slow deployments', () => {
  it('does not drain on a single slow answer: a p99 needs samples', async () => {
    useFakeClock();
    const client = regions({ drain: { p99Ms: 30, forMs: 0, cooldownMs: 10_000 } });
    const drained: string[] = [];
    client.on('deployment:drained', (e) => drained.push(e.provider));
    us.enqueue('fast', { latencyMs: 40 }); // then 0 ms

    for (let i = 0; i < 10; i++) {
      await onClock(() => client.tieredChat({ model: 'economy', messages: ask() }), i === 0 ? 40 : 0);
      vi.setSystemTime(Date.now() + 2_000);
    }
    await client.close();

    expect(drained).toEqual([]);
  });

  it('still serves from a drained deployment when nothing else can', async () => {
    useFakeClock();
    const client = regions({ fallback: 'none', drain: { p99Ms: 1, forMs: 0, cooldownMs: 600_000 } });
    us.setReply('fast', { latencyMs: 5 });
    eu.setReply('fast', { status: 503 });
    const call = () => onClock(() => client.tieredChat({ model: 'fast', messages: ask() }, { maxRetries: 0 }), 5);
    for (let i = 0; i < 21; i++) {
      await call();
      vi.setSystemTime(Date.now() + 1_001);
    }
    expect(client.health().find((h) => h.provider === 'us' && h.model === 'fast')?.drained).toBe(true);

    const result = await call();
    await client.close();

    expect(result.attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}`)).toEqual(['eu/fast:error', 'us/fast:ok']);
  });

  it('drains a deployment whose p99 stays too high, then probes it back after the cool-down', async () => {
    useFakeClock(new Date('2026-11-29T12:00:00Z'));
    us.setReply('fast', { latencyMs: 35 });
    const client = regions({ drain: { p99Ms: 30, forMs: 5_000, cooldownMs: 10_000 } });
    const events: string[] = [];
    client.on('deployment:drained', (e: DeploymentDrainEvent) => events.push(`drained ${e.provider} p99>${e.p99Ms! > 30}`));
    client.on('deployment:restored', (e: DeploymentDrainEvent) => events.push(`restored ${e.provider}`));

    // Enough samples for a p99 (20), then slow for longer than forMs.
    const call = (latencyMs = 35) => onClock(() => client.tieredChat({ model: 'economy', messages: ask() }), latencyMs);
    for (let i = 0; i < 20; i++) {
      await call(); // slow, on us
      vi.setSystemTime(Date.now() + 300);
    }
    for (let i = 0; i < 2; i++) {
      vi.setSystemTime(Date.now() + 3_000);
      await call();
    }
    const whileDrained = await call();
    const health = client.health().find((h) => h.provider === 'us' && h.model === 'fast');
    vi.setSystemTime(Date.now() + 10_001);
    us.setReply('fast', {});
    const after = await call(0);
    await client.close();

    expect(events).toEqual(['drained us p99>true', 'restored us']);
    expect(health?.drained).toBe(true);
    expect(whileDrained.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(['eu:ok']); // us goes last while drained
    expect(after.provider).toBe('us');
  });
});
