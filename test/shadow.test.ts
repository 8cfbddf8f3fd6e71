import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  costOf,
  JUDGE_RUBRIC,
  type ShadowDroppedEvent,
  type ShadowOptions,
  type ShadowResultEvent,
  type TieredClientOptions,
} from '../src/index.js';
import type { MockRequest } from '../src/testing/index.js';
import { ask, names, recordEvents, useFleet, type Fleet } from './fleet.js';
import { nextEvent } from './support/clock.js';

const fleet = useFleet();
afterEach(() => vi.restoreAllMocks());

type Shadowing = Partial<ShadowOptions<Fleet['catalog']>>;
const shadowed = (shadow: Shadowing = {}, options: Omit<TieredClientOptions<Fleet['catalog']>, 'catalog'> = {}) =>
  fleet.client({ ...options, shadow: { sampleRate: 1, model: 'hot', judge: () => 0.5, ...shadow } });

/** Every economy answer and shadow has a known price: 100 prompt tokens, 50 completion tokens. */
const usage = { promptTokens: 100, completionTokens: 50 };
const tokens = { inputTokens: 100, outputTokens: 50, cachedInputTokens: 0 };
const priceOf = (id: string) =>
  costOf(
    tokens,
    fleet.catalog.models.find((m) => m.id === id)!,
  );

function scripted(): void {
  for (const mock of fleet.mocks) mock.setReply('eco-mini', { content: 'Paris', usage });
  fleet.secondary.setReply('hot-max', { content: 'Paris, in France.', usage });
}

/** The `role: content` of a recorded chat request's messages. */
const messagesOf = (request: MockRequest) => (request.body as { messages: { role: string; content: string }[] }).messages;

/** The next shadow outcome, result or drop, whichever comes first. */
function nextShadow(client: ReturnType<typeof shadowed>): Promise<ShadowResultEvent | ShadowDroppedEvent> {
  return Promise.race([nextEvent(client, 'shadow:result'), nextEvent(client, 'shadow:dropped')]);
}

describe('shadow sampling', () => {
  it('asks a sampled call again of the shadow model after the caller has its answer, and scores the answer with the judge function', async () => {
    scripted();
    const judged: [string, string][] = [];
    const client = shadowed({ judge: (answer, reference) => (judged.push([answer, reference]), 0.25) });
    const events = recordEvents(client);
    const scored = nextEvent(client, 'shadow:result');

    const result = await client.tieredChat({ model: 'economy', messages: ask('Where is the Eiffel tower?') });
    const seenByCaller = names(events);
    const shadow = await scored;

    expect(seenByCaller).not.toContain('shadow:result');
    expect(names(events).slice(-2)).toEqual(['request:end', 'shadow:result']);
    expect(shadow).toEqual({
      requestId: result.requestId,
      operation: 'chat',
      model: 'eco-mini',
      tier: 'economy',
      shadowModel: 'hot-max',
      score: 0.25,
      costUsd: priceOf('hot-max'),
    });
    expect(judged).toEqual([['Paris', 'Paris, in France.']]);
    expect(messagesOf(fleet.secondary.requestsFor('hot-max')[0]!)).toEqual(ask('Where is the Eiffel tower?'));
  });

  it("keeps the shadow's calls out of the callers' books: no request events, counts or spend of theirs", async () => {
    scripted();
    const client = shadowed();
    const events = recordEvents(client);
    const scored = nextEvent(client, 'shadow:result');

    const result = await client.tieredChat({ model: 'economy', messages: ask() });
    await scored;

    expect(names(events)).toEqual(['request:start', 'attempt:start', 'request:end', 'shadow:result']);
    const metrics = client.metrics();
    expect(result.costUsd).toBe(priceOf('eco-mini'));
    expect(metrics.total).toMatchObject({ requests: 1, costUsd: priceOf('eco-mini') });
    expect(metrics.byTier.hot).toBeUndefined();
    expect(metrics.byModel['hot-max']).toBeUndefined();
  });

  it("counts the score in the metrics of the answer's client, tier, model and deployment", async () => {
    scripted();
    let score = 0.25;
    const client = shadowed({ judge: () => score });

    for (const next of [0.25, 0.75]) {
      score = next;
      const scored = nextEvent(client, 'shadow:result');
      await client.tieredChat({ model: 'economy', messages: ask(`Question ${next}`) });
      await scored;
    }

    const metrics = client.metrics();
    for (const entry of [metrics.total, metrics.byTier.economy, metrics.byModel['eco-mini'], metrics.byDeployment['primary/eco-mini']])
      expect(entry?.quality).toMatchObject({ shadowCount: 2, shadowScore: 0.5 });
  });

  it("has a judge model grade the answer with the rubric, and adds its cost to the shadow's", async () => {
    scripted();
    fleet.primary.setReply('warm-std', { content: '{"score": 0.5, "reason": "misses the country"}', usage });
    const client = shadowed({ judge: 'warm-std' });
    const scored = nextEvent(client, 'shadow:result');

    await client.tieredChat({ model: 'economy', messages: ask('Where is the Eiffel tower?') });

    expect(await scored).toMatchObject({ score: 0.5, costUsd: priceOf('hot-max') + priceOf('warm-std') });
    const [system, user] = messagesOf(fleet.primary.requestsFor('warm-std')[0]!);
    expect(system).toEqual({ role: 'system', content: JUDGE_RUBRIC });
    expect(user!.content).toContain('<question>\nWhere is the Eiffel tower?\n</question>');
    expect(user!.content).toContain('<reference>\nParis, in France.\n</reference>');
    expect(user!.content).toContain('<answer>\nParis\n</answer>');
  });

  it('without a judge, has the shadow model grade with the rubric', async () => {
    scripted();
    fleet.secondary.setReply('hot-max', (request) =>
      messagesOf(request)[0]!.content === JUDGE_RUBRIC ? { content: 'Score: 3/4' } : { content: 'Paris, in France.' },
    );
    const client = fleet.client({ shadow: { sampleRate: 1, model: 'hot' } });
    const scored = nextEvent(client, 'shadow:result');

    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(await scored).toMatchObject({ shadowModel: 'hot-max', score: 0.75 });
    expect(fleet.secondary.requestsFor('hot-max')).toHaveLength(2);
  });

  it.each([
    ['a judge model that gives no score', { judge: 'warm' }, () => fleet.primary.setReply('warm-std', { content: 'Fairly good.' })],
    ['a judge model that fails', { judge: 'warm' }, () => fleet.primary.setReply('warm-std', { status: 500 })],
    [
      'a judge function that throws',
      {
        judge: () => {
          throw new Error('bug');
        },
      },
      () => {},
    ],
    ['a judge function that rejects', { judge: () => Promise.reject(new Error('bug')) }, () => {}],
    ['a judge function above 1', { judge: () => 7 }, () => {}],
    ['a judge function giving NaN', { judge: () => Number.NaN }, () => {}],
    ['a judge function giving no number', { judge: (() => '0.5') as unknown as () => number }, () => {}],
  ] satisfies [string, Shadowing, () => void][])('drops the shadow as unscored with %s', async (_, shadow, script) => {
    scripted();
    script();
    const client = shadowed(shadow);
    const dropped = nextEvent(client, 'shadow:dropped');

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(await dropped).toEqual({ requestId: result.requestId, operation: 'chat', reason: 'unscored' });
  });
});

describe('a shadow that fails', () => {
  it('never touches the caller: its answer and request:end come first, unchanged, and the shadow is dropped', async () => {
    scripted();
    fleet.secondary.setReply('hot-max', { status: 500 });
    const client = shadowed();
    const events = recordEvents(client);
    const dropped = nextEvent(client, 'shadow:dropped');

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(await dropped).toEqual({ requestId: result.requestId, operation: 'chat', reason: 'failed' });
    expect(result).toMatchObject({ text: 'Paris', model: 'eco-mini', costUsd: priceOf('eco-mini') });
    expect(names(events)).toEqual(['request:start', 'attempt:start', 'request:end', 'shadow:dropped']);
  });

  it('that hangs is ended by close(), which resolves once it has settled, its connection closed', async () => {
    scripted();
    fleet.secondary.setReply('hot-max', { fault: 'hang' });
    const client = shadowed();
    const dropped = nextEvent(client, 'shadow:dropped');

    const result = await client.tieredChat({ model: 'economy', messages: ask() });
    await fleet.secondary.waitForRequests(1);
    await client.close();

    expect(await dropped).toEqual({ requestId: result.requestId, operation: 'chat', reason: 'closed' });
    expect(await fleet.secondary.requestsFor('hot-max')[0]!.settled).toBe('closed-early');
  });
});

describe('what is shadowed', () => {
  /** Closes the client: a shadow in flight would then be dropped as closed, so none seen means none sampled. */
  async function shadowsAfterClose(client: ReturnType<typeof shadowed>, events: ReturnType<typeof recordEvents>) {
    await client.close();
    return events.filter((e) => e.name.startsWith('shadow:'));
  }

  it('is a share of calls drawn with Math.random(): below the rate, sampled', async () => {
    scripted();
    const client = shadowed({ sampleRate: 0.5 });
    const events = recordEvents(client);
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5);

    await client.tieredChat({ model: 'economy', messages: ask() });
    random.mockReturnValue(0.499);
    const scored = nextEvent(client, 'shadow:result');
    const drawn = await client.tieredChat({ model: 'economy', messages: ask('Another') });

    expect((await scored).requestId).toBe(drawn.requestId);
    expect(await shadowsAfterClose(client, events)).toHaveLength(1);
  });

  it('is no call at a rate of 0', async () => {
    const client = shadowed({ sampleRate: 0 });
    const events = recordEvents(client);

    await client.tieredChat({ model: 'economy', messages: ask() });

    expect(await shadowsAfterClose(client, events)).toEqual([]);
  });

  it('is neither a cache hit nor a call answered by the shadow model already', async () => {
    scripted();
    const client = shadowed({}, { cache: {} });
    const scored = nextEvent(client, 'shadow:result');
    await client.tieredChat({ model: 'economy', messages: ask() });
    await scored;
    const events = recordEvents(client);

    const hit = await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'hot', messages: ask('On the shadow tier') });
    await client.tieredChat({ model: 'hot-max', messages: ask('On its model') });

    expect(hit.cached).toBe(true);
    expect(await shadowsAfterClose(client, events)).toEqual([]);
  });

  it("is a stream's answer too, asked again without a stream", async () => {
    scripted();
    const client = shadowed();
    const scored = nextEvent(client, 'shadow:result');

    const stream = client.tieredChat({ model: 'economy', messages: ask(), stream: true, stream_options: { include_usage: true } });
    for await (const _ of stream);
    const result = await stream.final();

    expect(await scored).toMatchObject({ requestId: result.requestId, model: 'eco-mini', shadowModel: 'hot-max' });
    const body = fleet.secondary.requestsFor('hot-max')[0]!.body as Record<string, unknown>;
    expect(body.stream).not.toBe(true);
    expect(body.stream_options).toBeUndefined();
  });
});

describe('the bounds of shadow sampling', () => {
  it('drops a sampled call as busy while maxConcurrent shadows are in flight', async () => {
    scripted();
    fleet.secondary.setReply('hot-max', { fault: 'hang' });
    const client = shadowed({ maxConcurrent: 1 });
    const drops: ShadowDroppedEvent[] = [];
    client.on('shadow:dropped', (e) => drops.push(e));

    const first = await client.tieredChat({ model: 'economy', messages: ask('First') });
    const second = await client.tieredChat({ model: 'economy', messages: ask('Second') });
    await client.close();

    expect(drops).toEqual([
      { requestId: second.requestId, operation: 'chat', reason: 'busy' },
      { requestId: first.requestId, operation: 'chat', reason: 'closed' },
    ]);
  });

  it('drops sampled calls as spend_cap once the shadows have spent budgetUsd', async () => {
    scripted();
    const client = shadowed({ budgetUsd: priceOf('hot-max') });
    const scored = nextEvent(client, 'shadow:result');
    await client.tieredChat({ model: 'economy', messages: ask('First') });
    await scored;
    const dropped = nextEvent(client, 'shadow:dropped');

    const second = await client.tieredChat({ model: 'economy', messages: ask('Second') });

    expect(await dropped).toEqual({ requestId: second.requestId, operation: 'chat', reason: 'spend_cap' });
    expect(fleet.secondary.requestsFor('hot-max')).toHaveLength(1);
  });

  it.each(['reject', 'downgrade'] as const)(
    "reserves from the client's budget: refused, the shadow is dropped as budget, never downgraded (onExceeded '%s')",
    async (onExceeded) => {
      scripted();
      // The economy call's reservation (1,024 output tokens at $0.4/M) fits; hot-max's ($20/M) does not.
      const client = shadowed({}, { budget: { limitUsd: 0.01, windowMs: 3_600_000, onExceeded } });
      const dropped = nextEvent(client, 'shadow:dropped');

      const result = await client.tieredChat({ model: 'economy', messages: ask() });

      expect(await dropped).toEqual({ requestId: result.requestId, operation: 'chat', reason: 'budget' });
      expect(fleet.secondary.requestsFor('hot-max')).toHaveLength(0);
      expect(fleet.secondary.requestsFor('eco-mini')).toHaveLength(0);
    },
  );

  it("keeps to the sampled call's providers", async () => {
    scripted();
    const client = shadowed({ model: 'economy' });
    const scored = nextShadow(client);

    await client.tieredChat({ model: 'hot', messages: ask() }, { providers: { only: ['secondary'] } });

    expect(await scored).toMatchObject({ shadowModel: 'eco-mini' });
    expect(fleet.primary.requestsFor('eco-mini')).toHaveLength(0);
    expect(fleet.secondary.requestsFor('eco-mini')).toHaveLength(1);
  });

  it("drops the shadow as unroutable when the call's providers leave the shadow model no deployment", async () => {
    scripted();
    const client = shadowed();
    const dropped = nextEvent(client, 'shadow:dropped');

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, { providers: { ignore: ['secondary'] } });

    expect(await dropped).toEqual({ requestId: result.requestId, operation: 'chat', reason: 'unroutable' });
    expect(fleet.secondary.requests).toHaveLength(0);
  });
});

describe('the shadow option', () => {
  it.each([
    [{ sampleRate: 1.5 }, 'shadow.sampleRate'],
    [{ sampleRate: undefined }, 'shadow.sampleRate'],
    [{ sampleRate: Number.NaN }, 'shadow.sampleRate'],
    [{ model: 'auto' }, 'shadow.model'],
    [{ model: 'gpt-5' }, 'shadow.model'],
    [{ judge: 'nobody' }, 'shadow.judge'],
    [{ judge: 42 }, 'shadow.judge'],
    [{ maxConcurrent: 0 }, 'shadow.maxConcurrent'],
    [{ maxConcurrent: 1.5 }, 'shadow.maxConcurrent'],
    [{ budgetUsd: 0 }, 'shadow.budgetUsd'],
    [{ budgetUsd: Number.POSITIVE_INFINITY }, 'shadow.budgetUsd'],
    [{ sampling: 1 }, 'shadow.sampling'],
  ])('refuses %o with a ConfigError naming %s', (bad, field) => {
    const make = () => shadowed(bad as Shadowing);

    expect(make).toThrow(ConfigError);
    expect(make).toThrow(expect.objectContaining({ field }));
  });
});
