import { describe, expect, it } from 'vitest';
import { ConfigError, StreamConsumedError, TieredError } from '../src/index.js';
import { ask, useFleet } from './fleet.js';

const fleet = useFleet();

/** The error a call fails with, and proof that no provider was asked. */
async function refusal(run: () => Promise<unknown>): Promise<ConfigError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ConfigError.isInstance(error), String(error)).toBe(true);
  expect(fleet.primary.requests).toHaveLength(0);
  expect(fleet.secondary.requests).toHaveLength(0);
  return error as ConfigError;
}

describe('a request checked before any network call', () => {
  it.each([
    ['no messages', { model: 'economy' }, 'params.messages', /non-empty array of messages, got undefined/],
    ['an empty list of messages', { model: 'economy', messages: [] }, 'params.messages', /got an empty array/],
    ['a null message', { model: 'economy', messages: [null] }, 'params.messages[0]', /message object, got null/],
    ['a message without a role', { model: 'economy', messages: [{ content: 'hi' }] }, 'params.messages[0].role', /non-empty string/],
    ['a message that is a string', { model: 'economy', messages: ['hi'] }, 'params.messages[0]', /got "hi"/],
    ['stream as a string', { model: 'economy', messages: ask(), stream: 'yes' }, 'params.stream', /boolean, got "yes"/],
    ['a model that is not a string', { model: 7, messages: ask() }, 'params.model', /got 7/],
  ])('is refused with a ConfigError naming the field when it has %s', async (_name, params, field, message) => {
    const client = fleet.client();

    const error = await refusal(() => client.chat.completions.create(params as never));

    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['a signal that is not an AbortSignal', { signal: { aborted: false } }, 'options.signal'],
    ['a string as metadata', { metadata: 'tenant-1' }, 'options.metadata'],
    ['metadata that is a list', { metadata: ['a'] }, 'options.metadata'],
    ['a key that is neither ours nor openai’s', { timoutMs: 5_000 }, 'options.timoutMs'],
    ['an idempotency key that is a number', { idempotencyKey: 42 }, 'options.idempotencyKey'],
    ['headers that are a string', { headers: 'x-a: 1' }, 'options.headers'],
  ])('is refused with a ConfigError naming the option when it has %s', async (_name, options, field) => {
    const client = fleet.client();

    const error = await refusal(() => client.tieredChat({ model: 'economy', messages: ask() }, options as never));

    expect(error.field).toBe(field);
  });

  it("passes openai's own request options and its helpers' `__` keys", async () => {
    const client = fleet.client();

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, {
      __metadata: { model: 'economy' },
      headers: { 'x-trace': 't-1' },
      path: '/ignored',
    } as never);

    expect(result.provider).toBe('primary');
    expect(fleet.primary.requests[0]?.headers['x-trace']).toBe('t-1');
  });

  it('takes a signal from another realm when it has the shape of an AbortSignal', async () => {
    const client = fleet.client();
    const signal = { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {}, throwIfAborted() {} };

    await expect(client.tieredChat({ model: 'economy', messages: ask() }, { signal } as never)).resolves.toMatchObject({
      provider: 'primary',
    });
  });
});

describe('a stream', () => {
  it('read a second time throws STREAM_CONSUMED', async () => {
    const client = fleet.client();
    const stream = await client.chat.completions.create({ model: 'economy', messages: ask(), stream: true });
    for await (const _ of stream);

    const again = (): unknown => stream[Symbol.asyncIterator]();

    expect(again).toThrow(StreamConsumedError);
    try {
      again();
    } catch (error) {
      expect(TieredError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'STREAM_CONSUMED', hint: expect.stringContaining('final()') });
    }
  });
});
