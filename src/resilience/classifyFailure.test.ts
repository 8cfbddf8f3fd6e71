import { APIConnectionError, APIError, APIUserAbortError, BadRequestError, RateLimitError } from 'openai';
import CircuitBreaker from 'opossum';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classifyFailure.js';

const headers = (entries: Record<string, string> = {}) => new Headers(entries);

describe('classifyFailure', () => {
  it('retries rate limits, honouring retry-after', () => {
    const error = new RateLimitError(429, { message: 'slow down' }, 'slow down', headers({ 'retry-after': '3' }));
    expect(classifyFailure(error)).toEqual({ action: 'retry', code: 'rate_limited', status: 429, retryAfterMs: 3_000 });
  });

  it('retries an error event sent inside a stream (an APIError with no status)', () => {
    expect(classifyFailure(new APIError(undefined, { message: 'overloaded' }, 'overloaded', undefined))).toEqual({
      action: 'retry',
      code: 'server_error',
    });
  });

  it('moves on from a breaker that opened after the deployment was chosen, as from a skip', async () => {
    const breaker = new CircuitBreaker(() => Promise.resolve());
    breaker.open();
    const refusal = await breaker.fire().catch((error: unknown) => error);
    breaker.shutdown();
    expect(classifyFailure(refusal)).toEqual({ action: 'next', code: 'breaker_open' });
  });

  it('throws the caller s own 400 and abort at once', () => {
    expect(classifyFailure(new BadRequestError(400, { message: 'bad' }, 'bad', headers())).action).toBe('throw');
    expect(classifyFailure(new APIUserAbortError()).action).toBe('throw');
  });

  it('knows openai errors from another installed copy by their class names', () => {
    class APIError extends Error {
      constructor(readonly status: number | undefined) {
        super('foreign');
      }
    }
    class APIConnectionErrorForeign extends APIError {}
    Object.defineProperty(APIConnectionErrorForeign, 'name', { value: 'APIConnectionError' });
    expect(classifyFailure(new APIError(503))).toMatchObject({ action: 'retry', code: 'server_error', status: 503 });
    expect(classifyFailure(new APIError(401))).toMatchObject({ action: 'next', code: 'unauthorized' });
    expect(classifyFailure(new APIConnectionErrorForeign(undefined))).toMatchObject({ action: 'retry', code: 'connection_error' });
    expect(classifyFailure(new APIConnectionError({ message: 'x' })).code).toBe('connection_error');
  });

  it("retries a connection cut while reading a body (undici's 'terminated')", () => {
    expect(classifyFailure(new TypeError('terminated'))).toEqual({ action: 'retry', code: 'connection_error' });
    expect(classifyFailure(new TypeError('x is not a function'))).toEqual({ action: 'next', code: 'unknown' });
  });
});
