import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RouteEvent } from '../src/index.js';
import { ask, recordEvents, useFleet } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

const fleet = useFleet();
afterEach(() => vi.useRealTimers());

const routeOf = (events: ReturnType<typeof recordEvents>) => events.find((e) => e.name === 'route')?.payload as RouteEvent | undefined;
const hard =
  'Prove step by step that the algorithm below terminates, analyze its complexity, and compare the trade-offs with a heap:\n```ts\nfunction f(a: number[]) { while (a.length) a.pop(); }\n```';

describe("model: 'auto'", () => {
  it('sends a simple question to the cheapest tier, and says why in a route event', async () => {
    const client = fleet.client();
    const events = recordEvents(client);

    const result = await client.tieredChat({ model: 'auto', messages: ask('Hi! How are you?') });

    expect(result.tier).toBe('economy');
    expect(routeOf(events)).toMatchObject({ requested: 'auto', tier: 'economy', by: 'heuristic', reason: expect.any(String) });
  });

  it('sends a hard multi-step request with code to the priciest tier', async () => {
    const client = fleet.client();
    const events = recordEvents(client);

    const result = await client.tieredChat({ model: 'auto', messages: ask(hard) });

    expect(result.tier).toBe('hot');
    expect(routeOf(events)?.reason).toMatch(/code/);
  });

  it('asks the custom router first', async () => {
    const client = fleet.client({ router: () => 'warm' });
    const events = recordEvents(client);

    const result = await client.tieredChat({ model: 'auto', messages: ask('Hi!') });

    expect(result.tier).toBe('warm');
    expect(routeOf(events)).toMatchObject({ tier: 'warm', by: 'custom' });
  });

  it('falls back on the heuristic when the custom router throws, and says so', async () => {
    const client = fleet.client({
      router: () => {
        throw new Error('router bug');
      },
    });
    const events = recordEvents(client);

    const result = await client.tieredChat({ model: 'auto', messages: ask('Hi!') });

    expect(result.tier).toBe('economy');
    expect(routeOf(events)).toMatchObject({ by: 'heuristic', reason: expect.stringContaining('router bug') });
  });

  it('holds a router that never answers to the call deadline', async () => {
    useFakeClock();
    let asked = (): void => {};
    const routing = new Promise<void>((resolve) => (asked = resolve));
    const client = fleet.client({ router: () => (asked(), new Promise<'hot'>(() => {})), timeouts: { deadlineMs: 60 } });

    const call = client.tieredChat({ model: 'auto', messages: ask() }).catch((e: unknown) => e);
    await routing;
    await advance(60);

    expect(await call).toMatchObject({ code: 'ALL_MODELS_FAILED', reason: 'deadline' });
  });

  it('routes streams too', async () => {
    const result = await fleet
      .client()
      .tieredChat({ model: 'auto', messages: ask(hard), stream: true })
      .final();

    expect(result.tier).toBe('hot');
  });
});

describe('the classifier', () => {
  it('grades a request with a cheap model, and its answer decides the tier (and is remembered)', async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', { content: 'warm' });

    const first = await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });
    const second = await client.tieredChat({ model: 'auto', messages: ask('Summarise this memo.') });

    expect([first.tier, second.tier]).toEqual(['warm', 'warm']);
    expect(fleet.primary.requestsFor('eco-mini')).toHaveLength(1); // graded once, then remembered
    expect(routeOf(events)).toMatchObject({ by: 'classifier', tier: 'warm' });
    const grading = fleet.primary.requestsFor('eco-mini')[0]?.body as { messages: { content: string }[] };
    expect(JSON.stringify(grading.messages)).toContain('Summarise this memo.');
  });

  it('falls back on the heuristic when its answer is garbage', async () => {
    const client = fleet.client({ classifier: { model: 'eco-mini' } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', { content: 'I cannot decide, sorry.' });

    const result = await client.tieredChat({ model: 'auto', messages: ask('Hi!') });

    expect(result.tier).toBe('economy');
    expect(routeOf(events)).toMatchObject({ by: 'heuristic', reason: expect.stringContaining('named no tier') });
  });

  it('falls back on the heuristic when it does not answer in time', async () => {
    useFakeClock();
    const client = fleet.client({ classifier: { model: 'eco-mini', timeoutMs: 40 } });
    const events = recordEvents(client);
    fleet.primary.enqueue('eco-mini', { fault: 'hang' });

    const call = client.tieredChat({ model: 'auto', messages: ask(hard) });
    await fleet.primary.waitForRequests(1); // the grading request, which hangs
    await advance(40);
    const result = await call;

    expect(result.tier).toBe('hot');
    expect(routeOf(events)).toMatchObject({ by: 'heuristic', reason: expect.stringContaining('classifier failed') });
  });

  it('rests after a failure: a dead grader does not slow every call', async () => {
    useFakeClock();
    const client = fleet.client({ classifier: { model: 'eco-mini', timeoutMs: 30 } });
    fleet.primary.enqueue('eco-mini', { fault: 'hang' });

    const first = client.tieredChat({ model: 'auto', messages: ask('first') });
    await fleet.primary.waitForRequests(1);
    await advance(30);
    await first;
    await client.tieredChat({ model: 'auto', messages: ask('second') });

    const gradings = fleet.primary.requestsFor('eco-mini').filter((r) => JSON.stringify(r.body).includes('conversation'));
    expect(gradings).toHaveLength(1);
  });

  it('must name a model of the catalog', () => {
    expect(() => fleet.client({ classifier: { model: 'nope' as 'eco-mini' } })).toThrow(
      expect.objectContaining({ field: 'classifier.model' }),
    );
  });
});

describe('an auto call aborted before it starts', () => {
  it('asks neither the classifier nor a custom router anything', async () => {
    const router = vi.fn(() => Promise.reject(new Error('not asked')));
    const classified = fleet.client({ classifier: { model: 'eco-mini' } });
    const routed = fleet.client({ router });

    await expect(classified.tieredChat({ model: 'auto', messages: ask('Hi') }, { signal: AbortSignal.abort() })).rejects.toThrow();
    await expect(routed.tieredChat({ model: 'auto', messages: ask('Hi') }, { signal: AbortSignal.abort() })).rejects.toThrow();
    await new Promise((resolve) => setImmediate(resolve));

    expect(fleet.primary.requests).toHaveLength(0);
    expect(router).not.toHaveBeenCalled();
  });
});
