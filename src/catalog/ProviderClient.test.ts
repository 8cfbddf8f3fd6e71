import OpenAI, { APIConnectionTimeoutError } from 'openai';
import { describe, expect, it } from 'vitest';
import { ProviderClient, attemptOptions, type ControllerTaker } from './ProviderClient.js';

// The contract with openai 6 that attempts rely on to cut their requests off: each request's own
// AbortController reaches fetchWithTimeout, with the per-request fetchOptions. An upgrade that
// changes it must fail here, not silently leave requests running past their time limits.
describe('ProviderClient', () => {
  const messages = [{ role: 'user' as const, content: 'hi' }];

  it("hands each request's own AbortController to the attempt, which aborts the request with it", async () => {
    let seen: AbortSignal | undefined;
    // A fetch that never answers until its signal aborts.
    const fetch = (_url: unknown, init?: RequestInit): Promise<Response> =>
      new Promise((_, reject) => {
        seen = init?.signal ?? undefined;
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const client = new ProviderClient({ apiKey: 'sk-contract', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch, logLevel: 'off' });
    let adopted: AbortController | undefined;
    const scope: ControllerTaker & { signal: AbortSignal } = {
      adopt: (controller) => (adopted = controller),
      get signal(): AbortSignal {
        throw new Error('a ProviderClient attempt needs no signal of its own');
      },
    };

    const request = client.chat.completions.create({ model: 'm', messages }, attemptOptions(client, { maxRetries: 0 }, scope));
    await expect.poll(() => adopted).toBeInstanceOf(AbortController);
    adopted!.abort();

    await expect(request).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    expect(seen?.aborted).toBe(true);
  });
});

// The scrubber learns a bring-your-own client's secret headers from the options openai keeps.
describe("openai's client options", () => {
  it('keep the default headers a client was made with, through withOptions()', () => {
    const own = new OpenAI({ apiKey: 'sk-contract', defaultHeaders: { 'x-gateway-key': 'gw-contract-secret' } });

    const made = (own.withOptions({ maxRetries: 0 }) as unknown as { _options?: { defaultHeaders?: unknown } })._options;

    expect(made?.defaultHeaders).toEqual({ 'x-gateway-key': 'gw-contract-secret' });
  });
});
