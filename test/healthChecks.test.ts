import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  costOf,
  createTieredClient,
  defineCatalog,
  MemoryBudgetStore,
  type HealthCheckOptions,
  type HealthProbeEvent,
  type ModelLimits,
  type TieredClientOptions,
} from '../src/index.js';
import { startMockOpenAI, type MockOpenAI } from '../src/testing/index.js';
import { ask, keys, names, recordEvents } from './fleet.js';
import { advance, useFakeClock } from './support/clock.js';

// Two providers (think: two regions): economy = eco-mini on primary, then on secondary; warm = warm-std on primary.
const eco = { id: 'eco-mini', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 } as const;
const warm = { id: 'warm-std', tier: 'warm', inputCostPerMTok: 1, outputCostPerMTok: 4, contextWindow: 128_000 } as const;
const embed = { id: 'embed-small', tier: 'economy', inputCostPerMTok: 0.02, contextWindow: 8_191, capabilities: ['embeddings'] } as const;

let primary: MockOpenAI;
let secondary: MockOpenAI;
const clients: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  primary = await startMockOpenAI({ apiKey: keys.primary });
  secondary = await startMockOpenAI({ apiKey: keys.secondary });
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all([primary.close(), secondary.close()]);
});

/** The fleet's catalog with `healthCheck` on the primary provider (and the embedding model there with `embeddings`). */
function catalogWith(healthCheck: HealthCheckOptions, { embeddings = false } = {}) {
  return defineCatalog({
    providers: {
      primary: { apiKey: keys.primary, baseURL: primary.url, healthCheck },
      secondary: { apiKey: keys.secondary, baseURL: secondary.url },
    },
    tiers: ['economy', 'warm'],
    models: [
      { ...eco, provider: 'primary' },
      { ...eco, provider: 'secondary' },
      { ...warm, provider: 'primary' },
      ...(embeddings ? [{ ...embed, provider: 'primary' as const }] : []),
    ],
  });
}

function clientWith(
  healthCheck: HealthCheckOptions,
  options: Omit<TieredClientOptions, 'catalog'> = {},
  catalog = catalogWith(healthCheck),
) {
  const client = createTieredClient({ catalog, retry: { retries: 0 }, ...options });
  clients.push(client);
  return client;
}

/** Resolves with the next `count` health:probe events. */
function probes(client: ReturnType<typeof clientWith>, count: number): Promise<HealthProbeEvent[]> {
  const seen: HealthProbeEvent[] = [];
  return new Promise((resolve) => {
    const off = client.on('health:probe', (event) => {
      seen.push(event);
      if (seen.length < count) return;
      off();
      resolve(seen);
    });
  });
}

const modelsRequests = (mock: MockOpenAI) => mock.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models');
const chatRequests = (mock: MockOpenAI) => mock.requests.filter((r) => r.path === '/v1/chat/completions');
const breakerOf = (client: ReturnType<typeof clientWith>, provider: string, model: string) =>
  client.health().find((h) => h.provider === provider && h.model === model)?.breaker;
const trail = (attempts: readonly { provider: string; outcome: string; errorCode?: string }[]) =>
  attempts.map((a) => `${a.provider}:${a.outcome}:${a.errorCode ?? ''}`);

describe('a dead deployment, found by a probe', () => {
  it('is skipped by the first user request, which never reaches it', async () => {
    primary.setModelsReply({ status: 500 });
    const client = clientWith({ intervalMs: 15_000 });
    await probes(client, 2);

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(trail(result.attempts)).toEqual(['primary:skipped:breaker_open', 'secondary:ok:']);
    expect(chatRequests(primary)).toHaveLength(0);
  });

  it('is probed once per interval for the whole provider, one event and one breaker per deployment', async () => {
    primary.setModelsReply({ status: 503 });
    const client = clientWith({ intervalMs: 15_000 });
    const events = recordEvents(client);
    await probes(client, 2);

    expect(modelsRequests(primary)).toHaveLength(1);
    expect(names(events)).toEqual(['health:probe', 'breaker:open', 'health:probe', 'breaker:open']);
    const probed = events.filter((e) => e.name === 'health:probe').map((e) => e.payload);
    expect(probed).toEqual([
      {
        model: 'eco-mini',
        provider: 'primary',
        kind: 'models',
        ok: false,
        latencyMs: expect.any(Number),
        status: 503,
        error: expect.objectContaining({ code: 'server_error' }),
      },
      {
        model: 'warm-std',
        provider: 'primary',
        kind: 'models',
        ok: false,
        latencyMs: expect.any(Number),
        status: 503,
        error: expect.objectContaining({ code: 'server_error' }),
      },
    ]);
    expect([breakerOf(client, 'primary', 'warm-std'), breakerOf(client, 'secondary', 'eco-mini')]).toEqual(['open', 'closed']);
  });

  it('is found when its provider refuses connections', async () => {
    await primary.close();
    const client = clientWith({ intervalMs: 15_000 });

    const [event] = await probes(client, 1);

    expect(event).toMatchObject({ ok: false, error: { code: 'connection_error' } });
    expect(breakerOf(client, 'primary', 'eco-mini')).toBe('open');
  });

  it('is down when the probe gets no answer within timeoutMs', async () => {
    useFakeClock();
    primary.setModelsReply({ fault: 'hang' });
    const client = clientWith({ intervalMs: 10_000, timeoutMs: 2_000 });
    const probed = probes(client, 1);
    await primary.waitForRequests(1);

    await advance(2_000);

    expect(await probed).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'timeout' }) })]);
    expect(await primary.requests[0]!.settled).toBe('closed-early');
  });

  it('gives a probe 5 s by default', async () => {
    useFakeClock();
    primary.setModelsReply({ fault: 'hang' });
    const client = clientWith({ intervalMs: 15_000 });
    const events = recordEvents(client);
    await primary.waitForRequests(1);

    await advance(4_999);
    const before = events.length;
    const probed = probes(client, 1);
    await advance(1);

    expect([before, (await probed)[0]!.error!.code]).toEqual([0, 'timeout']);
  });

  it('never leaks the API key a provider echoes in its error', async () => {
    primary.setModelsReply({ status: 500, error: { message: `upstream refused key ${keys.primary}` } });
    const client = clientWith({ intervalMs: 15_000 });

    const [event] = await probes(client, 1);

    expect(event!.error!.message).toContain('upstream refused key');
    expect(JSON.stringify(event)).not.toContain(keys.primary);
  });
});

describe('a deployment that recovers', () => {
  it('gets its breaker closed by the next good probe, and traffic back', async () => {
    useFakeClock();
    primary.setModelsReply({ status: 500 });
    const client = clientWith({ intervalMs: 10_000 });
    const events = recordEvents(client);
    await probes(client, 2);
    primary.setModelsReply({});

    const recovered = probes(client, 2);
    await advance(11_000);
    await recovered;
    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(names(events).filter((n) => n.startsWith('breaker:'))).toEqual([
      'breaker:open',
      'breaker:open',
      'breaker:close',
      'breaker:close',
    ]);
    expect(trail(result.attempts)).toEqual(['primary:ok:']);
  });
});

describe('an answer that proves the deployment up', () => {
  it.each([404, 401, 429])('a %i to GET /models counts as up and leaves traffic alone', async (status) => {
    primary.setModelsReply({ status });
    const client = clientWith({ intervalMs: 15_000 });

    const [event] = await probes(client, 1);
    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(event).toMatchObject({ ok: true, status });
    expect(trail(result.attempts)).toEqual(['primary:ok:']);
  });

  it("a good GET /models does not close a breaker the model's own failures opened", async () => {
    useFakeClock();
    const client = clientWith({ intervalMs: 10_000 }, { breaker: { volumeThreshold: 1, errorThresholdPercentage: 50 } });
    await probes(client, 2);
    primary.setReply('eco-mini', { status: 500 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    expect(breakerOf(client, 'primary', 'eco-mini')).toBe('open');

    const next = probes(client, 2);
    await advance(11_000);

    expect(await next).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
    expect(breakerOf(client, 'primary', 'eco-mini')).toBe('open');
  });
});

describe("kind: 'chat'", () => {
  it("sends each deployment's model a one-token chat and reports its cost at the catalog's prices", async () => {
    primary.setReply('eco-mini', { usage: { promptTokens: 8, completionTokens: 1 } });
    primary.setReply('warm-std', { usage: { promptTokens: 8, completionTokens: 1 } });
    const client = clientWith({ intervalMs: 15_000, kind: 'chat' });

    const events = await probes(client, 2);

    expect(chatRequests(primary).map((r) => r.body)).toEqual(
      ['eco-mini', 'warm-std'].map((model) => ({ model, messages: [{ role: 'user', content: 'ping' }], max_completion_tokens: 1 })),
    );
    expect(modelsRequests(primary)).toHaveLength(0);
    const usage = { inputTokens: 8, outputTokens: 1, cachedInputTokens: 0 };
    expect(events.map((e) => [e.model, e.kind, e.ok, e.costUsd]).sort()).toEqual([
      ['eco-mini', 'chat', true, costOf(usage, eco)],
      ['warm-std', 'chat', true, costOf(usage, warm)],
    ]);
  });

  it('probes an embedding model with a one-word embeddings request', async () => {
    primary.setReply('embed-small', { usage: { promptTokens: 1 } });
    const client = clientWith(
      { intervalMs: 15_000, kind: 'chat' },
      {},
      catalogWith({ intervalMs: 15_000, kind: 'chat' }, { embeddings: true }),
    );

    const events = await probes(client, 3);

    expect(primary.requestsFor('embed-small').map((r) => [r.path, (r.body as { input: unknown }).input])).toEqual([
      ['/v1/embeddings', 'ping'],
    ]);
    expect(events.find((e) => e.model === 'embed-small')).toMatchObject({
      ok: true,
      costUsd: costOf({ inputTokens: 1, outputTokens: 0, cachedInputTokens: 0 }, embed),
    });
  });

  it('counts what the probes cost in the budget', async () => {
    primary.setReply('eco-mini', { usage: { promptTokens: 8, completionTokens: 1 } });
    primary.setReply('warm-std', { usage: { promptTokens: 8, completionTokens: 1 } });
    const store = new MemoryBudgetStore();
    const client = clientWith({ intervalMs: 15_000, kind: 'chat' }, { budget: { limitUsd: 1, windowMs: 60_000, store } });

    const events = await probes(client, 2);
    await vi.waitUntil(() => Number(store.spent('global', 60_000)) > 0);

    expect(store.spent('global', 60_000)).toBeCloseTo(events[0]!.costUsd! + events[1]!.costUsd!, 12);
  });

  it('a failed chat probe opens only its own deployment, and a good one closes a breaker traffic opened', async () => {
    useFakeClock();
    primary.setReply('warm-std', { status: 500 });
    const client = clientWith({ intervalMs: 10_000, kind: 'chat' }, { breaker: { volumeThreshold: 1, errorThresholdPercentage: 50 } });
    await probes(client, 2);
    expect([breakerOf(client, 'primary', 'eco-mini'), breakerOf(client, 'primary', 'warm-std')]).toEqual(['closed', 'open']);
    primary.setReply('eco-mini', { status: 500 });
    await client.tieredChat({ model: 'economy', messages: ask() });
    expect(breakerOf(client, 'primary', 'eco-mini')).toBe('open');

    primary.setReply('eco-mini', {});
    const next = probes(client, 2);
    await advance(11_000);
    await next;

    expect(breakerOf(client, 'primary', 'eco-mini')).toBe('closed');
  });
});

describe("kind: 'chat' under the deployment's limits", () => {
  /** The fleet's catalog, probed with chat probes every second, eco-mini on primary limited as given. */
  function limitedClient(limits: ModelLimits) {
    const healthCheck = { intervalMs: 1_000, kind: 'chat' } as const;
    const catalog = defineCatalog({
      providers: {
        primary: { apiKey: keys.primary, baseURL: primary.url, healthCheck },
        secondary: { apiKey: keys.secondary, baseURL: secondary.url },
      },
      tiers: ['economy'],
      models: [
        { ...eco, provider: 'primary', limits },
        { ...eco, provider: 'secondary' },
      ],
    });
    return clientWith(healthCheck, { affinity: false }, catalog);
  }

  it('counts a probe as a request in the rpm window: a caller does not exceed it with the probes', async () => {
    useFakeClock();
    const client = limitedClient({ rpm: 1 });
    await probes(client, 1);

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(trail(result.attempts)).toEqual(['primary:skipped:rate_limited', 'secondary:ok:']);
    expect(chatRequests(primary)).toHaveLength(1);
  });

  it('skips a probe while the callers hold every slot, and probes again once one is free', async () => {
    useFakeClock();
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter: a tick every second
    const client = limitedClient({ maxConcurrent: 1 });
    await probes(client, 1);
    primary.enqueue('eco-mini', { latencyMs: 4_500 });

    const call = client.tieredChat({ model: 'economy', messages: ask() });
    await primary.waitForRequests(2);
    await advance(4_000); // four ticks, while the caller holds the only slot
    const during = chatRequests(primary).length;
    const next = probes(client, 1);
    await advance(1_500); // the caller's answer at 4.5 s, the next tick at 5 s
    await call;

    expect(during).toBe(2);
    expect(await next).toEqual([expect.objectContaining({ model: 'eco-mini', ok: true })]);
    expect(chatRequests(primary)).toHaveLength(3);
  });
});

describe('probes kept out of the callers’ books', () => {
  it('emit no request events and count in no metrics', async () => {
    const client = clientWith({ intervalMs: 15_000, kind: 'chat' });
    const events = recordEvents(client);

    await probes(client, 2);

    expect(names(events)).toEqual(['health:probe', 'health:probe']);
    expect(client.metrics().total.requests).toBe(0);
    expect(client.metrics().total.costUsd).toBe(0);
  });
});

describe('scheduling', () => {
  it('never holds more than one probe in flight when the provider hangs', async () => {
    useFakeClock();
    primary.setModelsReply({ fault: 'hang' });
    const client = clientWith({ intervalMs: 1_000, timeoutMs: 5_000 });
    await primary.waitForRequests(1);

    for (let i = 0; i < 4; i++) await advance(1_100);
    expect(modelsRequests(primary)).toHaveLength(1);

    const timedOut = probes(client, 2);
    await advance(600);
    await timedOut;
    await advance(1_100);
    await primary.waitForRequests(2);
    expect(modelsRequests(primary)).toHaveLength(2);
  });

  it('spreads the probes of several deployments apart (each wait within ±10 % of the interval)', async () => {
    useFakeClock();
    // The first wait of eco-mini's timer drawn at the bottom of the range, warm-std's at the top.
    vi.spyOn(Math, 'random').mockReturnValueOnce(0).mockReturnValueOnce(0.999).mockReturnValue(0.5);
    const client = clientWith({ intervalMs: 10_000, kind: 'chat' });
    await probes(client, 2);

    const first = probes(client, 1);
    await advance(9_000);
    expect((await first)[0]!.model).toBe('eco-mini');
    expect(primary.requestsFor('warm-std')).toHaveLength(1);

    const second = probes(client, 1);
    await advance(2_000);
    expect((await second)[0]!.model).toBe('warm-std');
    // Without the spread, no probe is due at 9 s: the test then fails on its (shorter) time limit.
  }, 5_000);
});

describe('close()', () => {
  it('stops the timers and aborts the probe in flight, whose outcome is dropped', async () => {
    useFakeClock();
    primary.setModelsReply({ fault: 'hang' });
    const client = clientWith({ intervalMs: 1_000, timeoutMs: 60_000 });
    const events = recordEvents(client);
    await primary.waitForRequests(1);

    await client.close();
    await advance(120_000);

    expect(await primary.requests[0]!.settled).toBe('closed-early');
    expect(modelsRequests(primary)).toHaveLength(1);
    expect(names(events)).toEqual([]);
  });
});

describe('the healthCheck option', () => {
  const define = (healthCheck: unknown) => () =>
    defineCatalog({
      providers: { eu: { apiKey: 'sk-test-config-check', healthCheck: healthCheck as HealthCheckOptions } },
      tiers: ['economy'],
      models: [{ ...eco, provider: 'eu' }],
    });
  const fieldOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      return ConfigError.isInstance(error) ? error.field : `not a ConfigError: ${String(error)}`;
    }
    return undefined;
  };

  it.each([
    ['a number', 15_000, 'providers.eu.healthCheck'],
    ['no intervalMs', {}, 'providers.eu.healthCheck.intervalMs'],
    ['an interval under a second', { intervalMs: 500 }, 'providers.eu.healthCheck.intervalMs'],
    ['an infinite interval', { intervalMs: Infinity }, 'providers.eu.healthCheck.intervalMs'],
    ['a time limit of 0', { intervalMs: 15_000, timeoutMs: 0 }, 'providers.eu.healthCheck.timeoutMs'],
    ['an unknown kind', { intervalMs: 15_000, kind: 'ping' }, 'providers.eu.healthCheck.kind'],
    ['an unknown field', { intervalMs: 15_000, interval: 5 }, 'providers.eu.healthCheck.interval'],
  ])('refuses %s, naming the field', (_, healthCheck, field) => {
    expect(fieldOf(define(healthCheck))).toBe(field);
  });

  it('is accepted on a provider given as a client', () => {
    const make = () =>
      defineCatalog({
        providers: { eu: { client: new OpenAI({ apiKey: 'sk-test-config-check' }), healthCheck: { intervalMs: 15_000 } } },
        tiers: ['economy'],
        models: [{ ...eco, provider: 'eu' }],
      });
    expect(fieldOf(make)).toBeUndefined();
  });
});

// Scripts run as processes of their own against the built package: health checks alone must not keep them alive.
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const runScript = (code: string) =>
  new Promise<{ code: number | null; stdout: string }>((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', code], { timeout: 15_000 }, (error, out) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout: out.trim() }),
    );
  });
const script = (mock: MockOpenAI, body: string) => `
import { createTieredClient, defineCatalog } from ${JSON.stringify(dist)};
const catalog = defineCatalog({
  providers: { local: { apiKey: '${keys.primary}', baseURL: ${JSON.stringify(mock.url)}, healthCheck: { intervalMs: 1000, timeoutMs: 60000 } } },
  tiers: ['economy'],
  models: [{ id: 'mini', provider: 'local', tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 8000 }],
});
const client = createTieredClient({ catalog });
${body}
`;

describe('a process with health checks', () => {
  it('exits on its own once its work is done, its client never closed', async () => {
    const done = await runScript(
      script(primary, `const probe = await new Promise((resolve) => client.on('health:probe', resolve)); console.log(probe.ok);`),
    );
    expect(done).toEqual({ code: 0, stdout: 'true' });
  });

  it('exits at close() while a probe hangs', async () => {
    primary.setModelsReply({ fault: 'hang' });
    const done = await runScript(
      script(primary, `await new Promise((resolve) => setTimeout(resolve, 200)); await client.close(); console.log('closed');`),
    );
    expect(done).toEqual({ code: 0, stdout: 'closed' });
    expect(modelsRequests(primary)).toHaveLength(1);
  });
});
