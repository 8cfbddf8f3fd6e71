import { BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import { AllModelsFailedError, ConfigError } from '../src/index.js';
import { ask, names, recordEvents, useFleet, type Fleet } from './fleet.js';

const fleet = useFleet();

const served = (fleet: Fleet) => [
  ...fleet.primary.requests.map((r) => `primary/${r.model}`),
  ...fleet.secondary.requests.map((r) => `secondary/${r.model}`),
];

describe('routing a request', () => {
  it('sends a tier name to the first deployment of that tier', async () => {
    const result = await fleet.client().tieredChat({ model: 'economy', messages: ask() });

    expect([result.provider, result.model]).toEqual(['primary', 'eco-mini']);
    expect(served(fleet)).toEqual(['primary/eco-mini']);
  });

  it('sends a model id to that model, whatever its tier', async () => {
    const result = await fleet.client().tieredChat({ model: 'hot-max', messages: ask() });

    expect([result.provider, result.model, result.tier]).toEqual(['secondary', 'hot-max', 'hot']);
  });

  it("asks the custom router for the tier of 'auto' requests", async () => {
    const client = fleet.client({ router: (request) => (JSON.stringify(request.messages).includes('prove') ? 'hot' : 'economy') });

    const easy = await client.tieredChat({ model: 'auto', messages: ask('Say hi.') });
    const hard = await client.tieredChat({ model: 'auto', messages: ask('Now prove the Riemann hypothesis.') });

    expect([easy.tier, hard.tier]).toEqual(['economy', 'hot']);
  });

  it('rejects an unknown model with a ConfigError before any network call', async () => {
    const client = fleet.client();

    const error = await client.chat.completions.create({ model: 'hott' as 'hot', messages: ask() }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', field: 'model' });
    expect(served(fleet)).toEqual([]);
  });

  it("rejects 'auto' with a ConfigError when the router returns something that is not a tier", async () => {
    const client = fleet.client({ router: () => 'platinum' as 'hot' });

    await expect(client.tieredChat({ model: 'auto', messages: ask() })).rejects.toMatchObject({ code: 'CONFIG_INVALID', field: 'router' });
    expect(served(fleet)).toEqual([]);
  });
});

describe("fallback: 'escalate' (the default)", () => {
  it('attempts the other deployments of the tier first, then escalates up the tiers, never down', async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { status: 500 });
    fleet.primary.setReply('warm-std', { status: 503 });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.model).toBe('hot-max');
    expect(served(fleet)).toEqual(['primary/eco-mini', 'primary/warm-std', 'secondary/eco-mini', 'secondary/hot-max']);
    expect(result.attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}`)).toEqual([
      'primary/eco-mini:error',
      'secondary/eco-mini:error',
      'primary/warm-std:error',
      'secondary/hot-max:ok',
    ]);
  });

  it('never falls back to a cheaper tier than the one requested', async () => {
    const client = fleet.client({ retry: { retries: 0 } });
    fleet.secondary.setReply('hot-max', { status: 500 });

    const error = await client.tieredChat({ model: 'hot', messages: ask() }).catch((e: unknown) => e);

    expect(AllModelsFailedError.isInstance(error)).toBe(true);
    expect(served(fleet)).toEqual(['secondary/hot-max']);
  });
});

describe('other fallback policies', () => {
  it("'none' stays within the requested tier", async () => {
    const client = fleet.client({ fallback: 'none', retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { status: 500 });

    await expect(client.tieredChat({ model: 'economy', messages: ask() })).rejects.toBeInstanceOf(AllModelsFailedError);
    expect(served(fleet)).toEqual(['primary/eco-mini', 'secondary/eco-mini']);
  });

  it('a map sends each tier to the tiers it lists, in that order', async () => {
    const client = fleet.client({ fallback: { economy: ['hot'] }, retry: { retries: 0 } });
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { status: 500 });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.model).toBe('hot-max');
    expect(fleet.primary.requestsFor('warm-std')).toHaveLength(0);
  });

  it('a map naming an unknown tier is a ConfigError at construction', () => {
    expect(() => fleet.client({ fallback: { economy: ['platinum' as 'hot'] } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', field: 'fallback.economy[0]' }),
    );
  });
});

describe('when every candidate fails', () => {
  it('throws AllModelsFailedError with one attempt per attempt, retries included', async () => {
    const client = fleet.client({ fallback: 'none', retry: { retries: 1 } });
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { status: 502 });

    const error = (await client.tieredChat({ model: 'economy', messages: ask() }).catch((e: unknown) => e)) as AllModelsFailedError;

    expect(error).toBeInstanceOf(AllModelsFailedError);
    expect(error.code).toBe('ALL_MODELS_FAILED');
    expect(error.reason).toBe('exhausted');
    expect(error.attempts.map((a) => [a.provider, a.model, a.status, a.errorCode])).toEqual([
      ['primary', 'eco-mini', 500, 'server_error'],
      ['primary', 'eco-mini', 500, 'server_error'],
      ['secondary', 'eco-mini', 502, 'server_error'],
      ['secondary', 'eco-mini', 502, 'server_error'],
    ]);
    expect(error.attempts.every((a) => a.error instanceof Error)).toBe(true);
    expect(error.message).toContain('every deployment failed');
    expect(error.hint).toContain('client.health()');
  });
});

describe('caller errors', () => {
  it.each([400, 422])('throws a %i at once as the original openai error, with no retry and no fallback', async (status) => {
    const client = fleet.client();
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { status, error: { message: 'messages[0].content is invalid', code: 'invalid_value' } });

    const error = await client.chat.completions.create({ model: 'economy', messages: ask() }).catch((e: unknown) => e);

    expect(error).toMatchObject({ status, message: expect.stringContaining('messages[0].content is invalid') });
    if (status === 400) expect(error).toBeInstanceOf(BadRequestError);
    expect(served(fleet)).toEqual(['primary/eco-mini']);
    expect(names(events)).toEqual(['request:start', 'attempt:start', 'attempt:error', 'request:error']);
  });
});
