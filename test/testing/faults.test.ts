import OpenAI, { type RateLimitError } from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';

let mock: MockOpenAI;
let client: OpenAI;

beforeEach(async () => {
  mock = await startMockOpenAI();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await mock.close();
});

const request = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'Hi!' }] };

describe('scripted errors and faults', () => {
  it('sends a scripted 429 that reaches openai as RateLimitError, retry-after readable', async () => {
    mock.setReply('gpt-test', { status: 429, headers: { 'retry-after': '2', 'retry-after-ms': '1500' } });

    const error: unknown = await client.chat.completions.create(request).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const { headers, type, code } = error as RateLimitError;
    expect(headers.get('retry-after')).toBe('2');
    expect(headers.get('retry-after-ms')).toBe('1500');
    expect(headers.get('x-request-id')).toMatch(/^req_/);
    expect({ type, code }).toEqual({ type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' });
  });

  it('expresses a context overflow as a 400 with code context_length_exceeded', async () => {
    mock.setReply('gpt-test', {
      status: 400,
      error: { message: "This model's maximum context length is 8 tokens.", code: 'context_length_exceeded', param: 'messages' },
    });

    const error: unknown = await client.chat.completions.create(request).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' });
  });

  it('answers a 5xx with a server_error body', async () => {
    mock.setReply('gpt-test', { status: 503 });

    await expect(client.chat.completions.create(request)).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(client.chat.completions.create(request)).rejects.toMatchObject({ status: 503, type: 'server_error' });
  });

  it("resets the connection on fault 'reset': the client sees an APIConnectionError", async () => {
    mock.setReply('gpt-test', { fault: 'reset' });

    await expect(client.chat.completions.create(request)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(mock.requests[0]?.settled).resolves.toBe('reset');
    expect(mock.requests[0]?.closedEarly).toBe(false);
  });

  it("hangs on fault 'hang' until the client aborts, then records the early close", async () => {
    mock.setReply('gpt-test', { fault: 'hang' });
    const controller = new AbortController();

    const pending = client.chat.completions.create(request, { signal: controller.signal });
    await mock.waitForRequests(1);
    controller.abort();

    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    await expect(mock.requests[0]?.settled).resolves.toBe('closed-early');
    expect(mock.requests[0]?.closedEarly).toBe(true);
  });

  it("sends a body that is not JSON on fault 'malformed': the client fails to parse it", async () => {
    mock.setReply('gpt-test', { fault: 'malformed' });

    // openai lets the parser's SyntaxError through, not wrapped in an OpenAIError.
    await expect(client.chat.completions.create(request)).rejects.toBeInstanceOf(SyntaxError);
    await expect(mock.requests[0]?.settled).resolves.toBe('completed');
  });

  it('keeps the connection usable after a malformed body', async () => {
    mock.enqueue('gpt-test', { fault: 'malformed' });
    await client.chat.completions.create(request).catch(() => undefined);

    await expect(client.chat.completions.create(request)).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('waits latencyMs before answering, on the clock fake timers control', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2025-06-01T12:00:00Z') });
    mock.setReply('gpt-test', { latencyMs: 1_000 });
    let answered = false;

    const pending = client.chat.completions.create(request).finally(() => (answered = true));
    await mock.waitForRequests(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    const completion = await pending;
    expect(completion.created).toBe(Date.parse('2025-06-01T12:00:01Z') / 1000);
    expect(mock.requests[0]?.receivedAt).toBe(Date.parse('2025-06-01T12:00:00Z'));
  });

  it('clears the latency timer when the client leaves', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const clearTimeoutSpy = vi.spyOn(globalThis, 'clearTimeout');
    mock.setReply('gpt-test', { latencyMs: 60_000 });
    const controller = new AbortController();

    const pending = client.chat.completions.create(request, { signal: controller.signal });
    await mock.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    await mock.requests[0]?.settled;

    const latencyCall = setTimeoutSpy.mock.calls.findIndex(([, ms]) => ms === 60_000);
    const latencyTimer: unknown = setTimeoutSpy.mock.results[latencyCall]?.value;
    expect(latencyTimer).toBeDefined();
    expect(clearTimeoutSpy).toHaveBeenCalledWith(latencyTimer);
  });

  it('destroys hanging connections on close() and resolves, however often it is called', async () => {
    mock.setReply('gpt-test', { fault: 'hang' });

    const pending = client.chat.completions.create(request);
    await mock.waitForRequests(1);
    await mock.close();
    await mock.close();

    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(mock.requests[0]?.settled).resolves.toBe('reset');
    expect(mock.requests[0]?.closedEarly).toBe(false);
  });
});
