import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { AttemptErrorCode } from './Attempt.js';
import { StreamEndedEarlyError } from '../streaming/StreamEndedEarlyError.js';
import { retryAfterMs } from './retryAfter.js';

/**
 * What to do after a failed try:
 * - `retry`: transient (408, 409, 429, 5xx, connection errors, timeouts). Retried on the same
 *   deployment with backoff, and counted by its circuit breaker.
 * - `next`: this deployment cannot serve the request (401, 403, 404, context length). Move on at once.
 * - `throw`: the request itself is wrong (other 4xx) or the caller aborted: rethrow as it is.
 */
export interface Failure {
  readonly action: 'retry' | 'next' | 'throw';
  readonly code: AttemptErrorCode;
  readonly status?: number;
  /** What the provider asked for with `retry-after-ms` / `retry-after`. */
  readonly retryAfterMs?: number;
}

const retryableStatus: Record<number, AttemptErrorCode> = { 408: 'request_timeout', 409: 'conflict', 429: 'rate_limited' };
const nextStatus: Record<number, AttemptErrorCode> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' };

/** Sorts a failed try into retry, move on, or throw; see {@link Failure}. */
export function classifyFailure(error: unknown): Failure {
  // Order matters: the timeout and connection classes extend APIError with no status.
  if (error instanceof APIUserAbortError) return { action: 'throw', code: 'aborted' };
  if (error instanceof APIConnectionTimeoutError) return { action: 'retry', code: 'timeout' };
  if (error instanceof APIConnectionError) return { action: 'retry', code: 'connection_error' };
  if (error instanceof APIError && typeof error.status === 'number') {
    const { status } = error;
    const wait = retryAfterMs(error.headers);
    const withWait = wait === undefined ? {} : { retryAfterMs: wait };
    const retryCode = status >= 500 ? 'server_error' : retryableStatus[status];
    if (retryCode !== undefined) return { action: 'retry', code: retryCode, status, ...withWait };
    const nextCode = nextStatus[status];
    if (nextCode !== undefined) return { action: 'next', code: nextCode, status };
    if (isContextLengthError(error)) return { action: 'next', code: 'context_length_exceeded', status };
    return { action: 'throw', code: 'bad_request', status };
  }
  // A body or event that is not a chat completion (a proxy's HTML page, a truncated JSON, a stream
  // cut short): this deployment is broken.
  if (error instanceof SyntaxError || error instanceof StreamEndedEarlyError) return { action: 'retry', code: 'invalid_response' };
  // A connection cut while a body or stream was being read (undici's 'terminated').
  if (error instanceof TypeError && isSocketError(error)) return { action: 'retry', code: 'connection_error' };
  return { action: 'next', code: 'unknown' };
}

function isSocketError(error: TypeError): boolean {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return error.message === 'terminated' || (typeof code === 'string' && (code.startsWith('UND_ERR') || code.startsWith('ECONN')));
}

function isContextLengthError(error: APIError): boolean {
  if (error.code === 'context_length_exceeded') return true;
  return error.status === 400 && /context length|context window|maximum context|too many tokens/i.test(error.message);
}
