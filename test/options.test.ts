import { describe, expect, it } from 'vitest';
import { ConfigError, createTieredClient, defineCatalog, type TieredClientOptions } from '../src/index.js';
import { ask, keys, useFleet } from './fleet.js';

const fleet = useFleet();

describe('createTieredClient() options', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['negative retries', { retry: { retries: -1 } }, 'retry.retries'],
    ['fractional retries', { retry: { retries: 1.5 } }, 'retry.retries'],
    ['a NaN backoff', { retry: { minTimeoutMs: Number.NaN } }, 'retry.minTimeoutMs'],
    ['a growth factor below 1', { retry: { factor: 0.5 } }, 'retry.factor'],
    ['a zero request timeout', { timeouts: { requestMs: 0 } }, 'timeouts.requestMs'],
    ['a threshold above 100%', { breaker: { errorThresholdPercentage: 150 } }, 'breaker.errorThresholdPercentage'],
    ['a misspelt option', { retry: { retires: 3 } }, 'retry.retires'],
    ['an unknown top-level option', { retries: 3 }, 'retries'],
    ['an unknown fallback policy', { fallback: 'sideways' }, 'fallback'],
    ['a router that is not a function', { router: 'economy' }, 'router'],
    ['a non-boolean captureContent', { telemetry: { captureContent: 'yes' } }, 'telemetry.captureContent'],
    ['a minimum backoff above the maximum', { retry: { minTimeoutMs: 500, maxTimeoutMs: 100 } }, 'retry.minTimeoutMs'],
    ['a minimum backoff above the default maximum', { retry: { minTimeoutMs: 6_000 } }, 'retry.minTimeoutMs'],
    ['a zero budget store time limit', { budget: { limitUsd: 1, windowMs: 1_000, timeoutMs: 0 } }, 'budget.timeoutMs'],
  ])('rejects %s with a ConfigError naming it', (_what, options, field) => {
    const make = () => createTieredClient({ catalog: fleet.catalog, ...options } as TieredClientOptions<typeof fleet.catalog>);

    expect(make).toThrow(ConfigError);
    expect(make).toThrow(expect.objectContaining({ field, code: 'CONFIG_INVALID' }));
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a string where a number belongs', { timeouts: { requestMs: '128000' } }, 'got "128000"', 'got 128000'],
    ['a number without an upper bound', { timeouts: { requestMs: 0 } }, 'at least 1 (or Infinity), got 0', 'any'],
    ['a whole number without an upper bound', { retry: { retries: -1 } }, 'a whole number, at least 0, got -1', 'any'],
    ['a number with bounds', { breaker: { errorThresholdPercentage: 150 } }, 'from 0 to 100, got 150', 'any'],
    ['a string policy', { loadBalancing: 'fastest' }, 'got "fastest"', 'got fastest'],
    ['a backoff range upside down', { retry: { minTimeoutMs: 500, maxTimeoutMs: 100 } }, 'retry.maxTimeoutMs (100)', 'any'],
  ])('says what is wrong with %s', (_what, options, text, not) => {
    const make = () => createTieredClient({ catalog: fleet.catalog, ...options } as TieredClientOptions<typeof fleet.catalog>);

    expect(make).toThrow(expect.objectContaining({ message: expect.stringContaining(text) }));
    expect(make).not.toThrow(expect.objectContaining({ message: expect.stringContaining(not) }));
  });

  it('accepts a minimum backoff equal to the maximum', () => {
    expect(() => fleet.client({ retry: { minTimeoutMs: 100, maxTimeoutMs: 100 } })).not.toThrow();
  });

  it('accepts Infinity to turn a time limit off', () => {
    expect(() => fleet.client({ timeouts: { requestMs: Number.POSITIVE_INFINITY, deadlineMs: Number.POSITIVE_INFINITY } })).not.toThrow();
  });

  it('rejects a catalog that did not come from defineCatalog()', () => {
    expect(() => createTieredClient({ catalog: { tiers: ['a'] } as never })).toThrow(expect.objectContaining({ field: 'catalog' }));
  });
});

describe('per-call options', () => {
  it.each([
    ['timeoutMs', { timeoutMs: -5 }],
    ['timeout', { timeout: 0 }],
    ['maxRetries', { maxRetries: 1.5 }],
  ])('rejects a bad %s with a ConfigError and sends nothing', async (name, options) => {
    const client = fleet.client();

    await expect(client.tieredChat({ model: 'economy', messages: ask() }, options)).rejects.toMatchObject({ field: `options.${name}` });
    expect(fleet.primary.requests).toHaveLength(0);
  });
});

describe('the fleet options (affinity, limits, rateLimit, healthCheck, connections, regions)', () => {
  const entry = { tier: 'economy', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 1_000 } as const;
  /** A client on one EU deployment, with the provider, model entry and client options given. */
  const make = (parts: { provider?: object; model?: object; client?: object }) => () =>
    createTieredClient({
      catalog: defineCatalog({
        providers: { eu: { apiKey: keys.primary, baseURL: fleet.primary.url, ...parts.provider } },
        tiers: ['economy'],
        models: [{ id: 'eco-mini', provider: 'eu', region: 'eu-west', ...entry, ...parts.model }],
      } as never),
      ...parts.client,
    } as never);

  it.each<[string, Parameters<typeof make>[0], string]>([
    ['an unknown affinity mode', { client: { affinity: 'sticky' } }, 'affinity'],
    ['affinity: true', { client: { affinity: true } }, 'affinity'],
    ['an rpm of 0', { model: { limits: { rpm: 0 } } }, 'models[0].limits.rpm'],
    ['a fractional tpm', { model: { limits: { tpm: 1.5 } } }, 'models[0].limits.tpm'],
    ['a misspelt limit', { model: { limits: { rps: 5 } } }, 'models[0].limits.rps'],
    ['a negative rateLimit.waitMs', { client: { rateLimit: { waitMs: -1 } } }, 'rateLimit.waitMs'],
    ['a rateLimit.store without acquire', { client: { rateLimit: { store: {} } } }, 'rateLimit.store'],
    ['a health check every 10 ms', { provider: { healthCheck: { intervalMs: 10 } } }, 'providers.eu.healthCheck.intervalMs'],
    ['a health check without intervalMs', { provider: { healthCheck: {} } }, 'providers.eu.healthCheck.intervalMs'],
    ['connections.max: 0', { provider: { connections: { max: 0 } } }, 'providers.eu.connections.max'],
    ['a negative keepAliveMs', { provider: { connections: { keepAliveMs: -1 } } }, 'providers.eu.connections.keepAliveMs'],
    ['regions.only: []', { client: { regions: { only: [] } } }, 'regions.only'],
    ['regions as a list', { client: { regions: ['eu-west'] } }, 'regions'],
    ['an unknown region in regions.only', { client: { regions: { only: ['mars'] } } }, 'regions.only[0]'],
    ['an unknown preferred region', { client: { region: 'mars' } }, 'region'],
  ])('rejects %s with a ConfigError naming the field, a hint, and no key', (_what, parts, field) => {
    let error: unknown;
    try {
      make(parts)();
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field, hint: expect.stringMatching(/\w/) });
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(keys.primary);
  });

  it.each([
    ['an unknown region', 'mars', 'options.region'],
    ['an unknown region in a list', ['eu-west', 'mars'], 'options.region[1]'],
    ['an empty list', [], 'options.region'],
  ])('rejects %s per call with a ConfigError naming it and a hint, and sends nothing', async (_what, region, field) => {
    const client = make({})();

    await expect(client.tieredChat({ model: 'economy', messages: ask() }, { region } as never)).rejects.toMatchObject({
      name: 'ConfigError',
      field,
      hint: expect.stringContaining('eu-west'),
    });
    await client.close();
    expect(fleet.primary.requests).toHaveLength(0);
  });
});
