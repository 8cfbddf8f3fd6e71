import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, costOf, createTieredClient, defineCatalog, type RouteEvent, type TieredRequestOptions } from '../src/index.js';
import { startMockOpenAI } from '../src/testing/index.js';
import { recordEvents, useFleet, type Fleet } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';
import { seeded } from './support/seeded.js';

// The fleet: economy = eco-mini on primary and on secondary, warm = warm-std on primary, hot = hot-max on secondary.
const fleet = useFleet();

beforeEach(() => {
  vi.spyOn(Math, 'random').mockImplementation(seeded(16));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

type Client = ReturnType<Fleet['client']>;
type Tier = 'economy' | 'warm' | 'hot' | 'auto';

/** Per-call options of turn `turn` (1-based), if any. */
type TurnOptions = (turn: number) => TieredRequestOptions | undefined;

/**
 * One conversation of `turns` turns opening with `opening`: each turn resends the whole history with
 * the last answer and a follow-up. Returns where each turn was answered (`provider/model`).
 */
async function converse(client: Client, opening: string, turns: number, options?: TurnOptions, model: Tier = 'economy'): Promise<string[]> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You are the support agent of ACME.' },
    { role: 'user', content: opening },
  ];
  const served: string[] = [];
  for (let turn = 1; turn <= turns; turn++) {
    const result = await client.tieredChat({ model, messages: [...messages] }, options?.(turn));
    served.push(`${result.provider}/${result.model}`);
    messages.push({ role: 'assistant', content: result.text }, { role: 'user', content: `Follow-up ${turn}.` });
  }
  return served;
}

const distinct = (served: readonly string[]) => [...new Set(served)].sort();

describe('conversation affinity (on by default)', () => {
  it('keeps the 20 turns of one conversation on one deployment of a two-deployment tier', async () => {
    const client = fleet.client({ loadBalancing: 'weighted' });

    const served = await converse(client, 'My order #123 has not arrived.', 20);

    expect(served).toHaveLength(20);
    expect(distinct(served)).toHaveLength(1);
  });

  it('is off with affinity: false: the same turns spread over both deployments', async () => {
    const client = fleet.client({ loadBalancing: 'weighted', affinity: false });

    const served = await converse(client, 'My order #123 has not arrived.', 20);

    expect(distinct(served)).toEqual(['primary/eco-mini', 'secondary/eco-mini']);
  });

  it('keeps two conversations each on its own deployment, turn after turn', async () => {
    const client = fleet.client({ loadBalancing: 'weighted' });
    const a: string[] = [];
    const b: string[] = [];

    // Interleaved, the first turn of each sent to a different deployment.
    for (let turn = 1; turn <= 8; turn++) {
      a.push(...(await converse(client, 'Conversation A', 1, () => (turn === 1 ? { providers: { order: ['primary'] } } : undefined))));
      b.push(...(await converse(client, 'Conversation B', 1, () => (turn === 1 ? { providers: { order: ['secondary'] } } : undefined))));
    }

    expect(distinct(a)).toEqual(['primary/eco-mini']);
    expect(distinct(b)).toEqual(['secondary/eco-mini']);
  });

  it('groups the calls that share options.metadata.sessionId, whatever their first messages', async () => {
    const client = fleet.client({ loadBalancing: 'weighted' });
    const served: string[] = [];

    for (let i = 0; i < 12; i++)
      served.push(...(await converse(client, `Question number ${i}`, 1, () => ({ metadata: { sessionId: 'session-42' } }))));

    expect(distinct(served)).toHaveLength(1);
  });

  it('takes a numeric sessionId as well', async () => {
    const client = fleet.client({ loadBalancing: 'weighted' });
    const served: string[] = [];

    for (let i = 0; i < 12; i++)
      served.push(...(await converse(client, `Question number ${i}`, 1, () => ({ metadata: { sessionId: 42 } }))));

    expect(distinct(served)).toHaveLength(1);
  });

  it('takes the conversation key from a function when given one', async () => {
    const client = fleet.client({
      loadBalancing: 'weighted',
      affinity: (_params, options) => (typeof options.metadata?.['tenant'] === 'string' ? options.metadata['tenant'] : undefined),
    });
    const acme: string[] = [];
    const loose: string[] = [];

    for (let i = 0; i < 12; i++) {
      acme.push(...(await converse(client, `ACME question ${i}`, 1, () => ({ metadata: { tenant: 'acme' } }))));
      // No key from the function (no tenant): no affinity, even for one conversation.
      loose.push(...(await converse(client, 'The same question again', 1)));
    }

    expect(distinct(acme)).toHaveLength(1);
    expect(distinct(loose)).toEqual(['primary/eco-mini', 'secondary/eco-mini']);
  });

  it('asks no key of a call whose tier has a single deployment', async () => {
    const asked: string[] = [];
    const client = fleet.client({
      loadBalancing: 'weighted',
      affinity: (params) => {
        asked.push(String(params.model));
        return 'one conversation';
      },
    });

    await converse(client, 'A question for the hot tier', 3, undefined, 'hot');
    await converse(client, 'A question for the economy tier', 2);

    expect(asked).toEqual(['economy', 'economy']);
  });

  it('applies to streams: a streamed turn pins its conversation as a call does', async () => {
    const client = fleet.client({ loadBalancing: 'weighted' });
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Stream me an answer.' }];

    const stream = client.tieredChat({ model: 'economy', messages, stream: true }, { providers: { order: ['secondary'] } });
    const streamed = await stream.final();
    const next = [];
    for (let turn = 0; turn < 8; turn++)
      next.push((await client.tieredChat({ model: 'economy', messages: [...messages, { role: 'assistant', content: 'Sure.' }] })).provider);

    expect(streamed.provider).toBe('secondary');
    expect(distinct(next)).toEqual(['secondary']);
  });

  it('moves a conversation whose deployment fails, and keeps it on the new one once the old recovers', async () => {
    // 'ordered': without affinity every call would go back to primary once it recovers.
    const client = fleet.client({ retry: { retries: 0 } });
    const served: string[] = [];
    const turns: TurnOptions = (turn) => {
      if (turn === 3) fleet.primary.setReply('eco-mini', { status: 500 });
      if (turn === 4) fleet.primary.setReply('eco-mini', {});
      return undefined;
    };

    served.push(...(await converse(client, 'Where is my parcel?', 8, turns)));

    expect(served).toEqual([
      'primary/eco-mini',
      'primary/eco-mini',
      'secondary/eco-mini',
      'secondary/eco-mini',
      'secondary/eco-mini',
      'secondary/eco-mini',
      'secondary/eco-mini',
      'secondary/eco-mini',
    ]);
  });

  it('moves a conversation off a deployment whose breaker opened, and keeps it there once the breaker closes', async () => {
    useFakeClock();
    const client = fleet.client({ retry: { retries: 0 }, breaker: { volumeThreshold: 2, resetTimeoutMs: 30_000 } });
    const served = await converse(client, 'Pinned to primary first', 1);
    // Two other conversations fail on primary (and are answered by secondary): its breaker opens.
    fleet.primary.enqueue('eco-mini', { status: 500 }, { status: 500 });
    await converse(client, 'Another one', 1);
    await converse(client, 'And another', 1);
    expect(client.health().find((h) => h.provider === 'primary' && h.model === 'eco-mini')?.breaker).toBe('open');

    served.push(...(await converse(client, 'Pinned to primary first', 2)));
    await advance(30_000); // primary half-open: under 'ordered' the next call would probe it
    served.push(...(await converse(client, 'Pinned to primary first', 3)));

    expect(served).toEqual(['primary/eco-mini', ...Array<string>(5).fill('secondary/eco-mini')]);
  });

  it("never lets an 'auto' conversation fall to a cheaper tier, but lets it rise", async () => {
    const picks: string[] = ['warm', 'economy', 'hot', 'economy', 'warm'];
    const client = fleet.client({ router: () => picks.shift() as 'economy' });
    const events = recordEvents(client);

    const served = await converse(client, 'Help me plan a migration.', 5, undefined, 'auto');

    expect(served).toEqual(['primary/warm-std', 'primary/warm-std', 'secondary/hot-max', 'secondary/hot-max', 'secondary/hot-max']);
    const routes = events.filter((e) => e.name === 'route').map((e) => e.payload as RouteEvent);
    expect(routes.map((r) => r.tier)).toEqual(['warm', 'warm', 'hot', 'hot', 'hot']);
    expect(routes[1]).toMatchObject({ by: 'custom', reason: 'conversation affinity keeps tier warm (economy chosen: the client router)' });
  });

  it("keeps an 'auto' conversation at the router's tier, not at the pricier tier a fallback answered from", async () => {
    const client = fleet.client({ router: () => 'economy' });
    // Both economy deployments fail the first turn: warm answers it, by fallback.
    fleet.primary.enqueue('eco-mini', { status: 400, error: { code: 'context_length_exceeded' } });
    fleet.secondary.enqueue('eco-mini', { status: 400, error: { code: 'context_length_exceeded' } });

    const served = await converse(client, 'A short question.', 3, undefined, 'auto');

    expect(served[0]).toBe('primary/warm-std');
    expect(served.slice(1).map((s) => s.endsWith('/eco-mini'))).toEqual([true, true]);
  });

  it('is not moved by a cache hit: the hit serves an old answer, the conversation stays where it went', async () => {
    const client = fleet.client({ retry: { retries: 0 }, cache: {} });
    const opening: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Cache me.' }];
    const ask = () => client.tieredChat({ model: 'economy', messages: opening });
    const follow = () => client.tieredChat({ model: 'economy', messages: [...opening, { role: 'assistant', content: 'Ok.' }] });

    expect((await ask()).provider).toBe('primary');
    fleet.primary.setReply('eco-mini', { status: 500 });
    expect((await follow()).provider).toBe('secondary');
    fleet.primary.setReply('eco-mini', {});
    const hit = await ask();
    const after = await client.tieredChat({ model: 'economy', messages: [...opening, { role: 'assistant', content: 'Later.' }] });

    expect(hit).toMatchObject({ cached: true, provider: 'primary' });
    expect(after.provider).toBe('secondary');
  });

  it('refuses an affinity option of the wrong kind, naming it', () => {
    const make = () => fleet.client({ affinity: 'session' as 'conversation' });

    expect(make).toThrow(ConfigError);
    expect(make).toThrow(
      expect.objectContaining({ field: 'affinity', message: expect.stringContaining("'conversation', false or a function") }),
    );
  });
});

describe('the mock prompt cache, priced by the client', () => {
  it('reports the cached prefix of each turn, and the client prices it at cachedInputCostPerMTok', async () => {
    const mock = await startMockOpenAI({ promptCache: true });
    const model = {
      id: 'cached-model',
      provider: 'only',
      tier: 'economy',
      inputCostPerMTok: 2,
      outputCostPerMTok: 8,
      cachedInputCostPerMTok: 0.5,
      contextWindow: 128_000,
    } as const;
    const client = createTieredClient({
      catalog: defineCatalog({
        providers: { only: { apiKey: 'sk-test-prompt-cache', baseURL: mock.url } },
        tiers: ['economy'],
        models: [model],
      }),
    });
    try {
      const system = 'Policies. '.repeat(600); // 6,000 characters: 1,500 tokens
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: system },
        { role: 'user', content: 'First question.' },
      ];

      const turn1 = await client.tieredChat({ model: 'economy', messages });
      messages.push({ role: 'assistant', content: turn1.text }, { role: 'user', content: 'Second question.' });
      const turn2 = await client.tieredChat({ model: 'economy', messages });

      expect(turn1.usage.cachedInputTokens).toBe(0);
      // Turn 1's prompt (6,015 characters: 1,504 tokens) is cached, in 128-token blocks.
      expect(turn2.usage.cachedInputTokens).toBe(1_408);
      expect(turn2.usage.inputTokens).toBeGreaterThan(1_408);
      expect(turn2.costUsd).toBe(costOf(turn2.usage, model));
      expect(turn2.costUsd).toBeLessThan(costOf({ ...turn2.usage, cachedInputTokens: 0 }, model));
    } finally {
      await client.close();
      await mock.close();
    }
  });
});
