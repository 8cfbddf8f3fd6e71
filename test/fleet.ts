import { afterEach, beforeEach } from 'vitest';
import { defineCatalog, createTieredClient, type TieredClientOptions, type TieredEventName, type TieredEvents } from '../src/index.js';
import { startMockOpenAI, type MockOpenAI } from '../src/testing/index.js';

/** Provider keys of the test fleet: every event and error is scanned for them. */
export const keys = { primary: 'sk-test-primary-4f1d0c9a7b2e', secondary: 'sk-test-secondary-93b7e2d1c0aa' } as const;

/** The semantic cache's embedding model, on the primary provider: priced, and never a candidate for chat. */
export const embedSmall = {
  id: 'embed-small',
  provider: 'primary',
  tier: 'economy',
  inputCostPerMTok: 0.02,
  contextWindow: 8_191,
  capabilities: ['embeddings'],
} as const;

/** Two mock providers (think: two regions) and a three-tier catalog over them; `embeddings` adds {@link embedSmall}. */
export async function startFleet({ embeddings = false } = {}) {
  const primary = await startMockOpenAI({ apiKey: keys.primary });
  const secondary = await startMockOpenAI({ apiKey: keys.secondary });
  const catalog = defineCatalog({
    providers: {
      primary: { apiKey: keys.primary, baseURL: primary.url },
      secondary: { apiKey: keys.secondary, baseURL: secondary.url },
    },
    tiers: ['economy', 'warm', 'hot'],
    models: [
      { id: 'eco-mini', provider: 'primary', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      { id: 'eco-mini', provider: 'secondary', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      {
        id: 'warm-std',
        provider: 'primary',
        tier: 'warm',
        inputCostPerMTok: 1,
        outputCostPerMTok: 4,
        cachedInputCostPerMTok: 0.25,
        contextWindow: 128_000,
      },
      { id: 'hot-max', provider: 'secondary', tier: 'hot', inputCostPerMTok: 5, outputCostPerMTok: 20, contextWindow: 200_000 },
      ...(embeddings ? [embedSmall] : []),
    ],
  });
  const clients: { close(): Promise<void> }[] = [];
  /**
   * A client on the fleet that retries without waiting unless the test says otherwise: a test about
   * the wait sets its own and plays it on the fake clock (see support/clock.ts).
   */
  const client = (options: Omit<TieredClientOptions<typeof catalog>, 'catalog'> = {}) => {
    const made = createTieredClient({
      catalog,
      ...options,
      retry: { minTimeoutMs: 0, maxTimeoutMs: 0, ...options.retry },
    });
    clients.push(made);
    return made;
  };
  const close = async (): Promise<void> => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([primary.close(), secondary.close()]);
  };
  return { primary, secondary, catalog, client, close, mocks: [primary, secondary] as MockOpenAI[] };
}

export type Fleet = Awaited<ReturnType<typeof startFleet>>;

/**
 * A fresh fleet for every test of the file, closed after it: the returned object always stands for
 * the current test's fleet.
 */
export function useFleet(options?: { readonly embeddings?: boolean }): Fleet {
  let current: Fleet | undefined;
  beforeEach(async () => {
    current = await startFleet(options);
  });
  afterEach(() => current?.close());
  return new Proxy({} as Fleet, { get: (_, key) => (current as Record<PropertyKey, unknown> | undefined)?.[key] });
}

/** A recorded event: its name and payload, in emission order. */
export type Recorded = { [E in TieredEventName]: { name: E; payload: Parameters<TieredEvents[E]>[0] } }[TieredEventName];

// A record over every event name: the compiler refuses it when an event is added and not listed.
const everyEvent: Record<TieredEventName, true> = {
  'request:start': true,
  route: true,
  'attempt:start': true,
  'attempt:error': true,
  fallback: true,
  'request:end': true,
  'request:error': true,
  'cache:hit': true,
  'cache:miss': true,
  'cache:error': true,
  'budget:error': true,
  'rateLimit:error': true,
  'deployment:drained': true,
  'deployment:restored': true,
  'slo:breach': true,
  'slo:recovered': true,
  'breaker:open': true,
  'breaker:half-open': true,
  'breaker:close': true,
  'health:probe': true,
  feedback: true,
  'shadow:result': true,
  'shadow:dropped': true,
};
const allEvents = Object.keys(everyEvent) as TieredEventName[];

/** Records every event of a client, in order. */
export function recordEvents(client: { on<E extends TieredEventName>(event: E, listener: TieredEvents[E]): () => void }): Recorded[] {
  const recorded: Recorded[] = [];
  for (const name of allEvents) client.on(name, ((payload: never) => recorded.push({ name, payload } as Recorded)) as never);
  return recorded;
}

/** The event names only, for asserting order. */
export const names = (events: Recorded[]): string[] => events.map((e) => e.name);

/** A plain user message. */
export const ask = (text = 'Say hello.') => [{ role: 'user' as const, content: text }];
