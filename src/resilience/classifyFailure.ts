import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { StreamEndedEarlyError } from '../streaming/StreamEndedEarlyError.js';
import type { AttemptErrorCode } from '../call/Attempt.js';
import { retryAfterMs } from './retryAfter.js';
import { namedStatus } from './answerShape.js';
import { InvalidResponseError } from './InvalidResponseError.js';

/**
 * What to do after a failed attempt:
 * - `retry`: transient (408, 409, 429, 5xx, connection errors, timeouts). Retried on the same
 *   deployment with backoff, and counted by its circuit breaker.
 * - `next`: this deployment cannot serve the request (401, 403, 404, context length, a redirect not
 *   followed). Move on at once.
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

/** Sorts a failed attempt into retry, move on, or throw; see {@link Failure}. */
export function classifyFailure(error: unknown): Failure {
  // Order matters: the timeout and connection classes extend APIError with no status.
  const kind = openaiErrorKind(error);
  if (kind === 'APIUserAbortError') return { action: 'throw', code: 'aborted' };
  if (kind === 'APIConnectionTimeoutError') return { action: 'retry', code: 'timeout' };
  if (kind === 'APIConnectionError') return { action: 'retry', code: 'connection_error' };
  // An APIError with no status: the provider sent an error event inside a stream (`data: {"error": ...}`).
  // One that names a status acts as that status, as a 200 body `{ "error": ... }` does.
  if (kind === 'StreamError') {
    const named = namedStatus((error as { error?: unknown }).error);
    if (named === undefined) return { action: 'retry', code: 'server_error' };
    return byStatus(error as StatusError, named);
  }
  if (kind === 'APIError') return byStatus(error as StatusError, (error as StatusError).status);
  // A body or event that is not a chat completion (a proxy's HTML page, a truncated JSON, a stream
  // cut short, a 200 without choices): this deployment is broken.
  if (error instanceof SyntaxError || error instanceof StreamEndedEarlyError || error instanceof InvalidResponseError)
    return { action: 'retry', code: 'invalid_response' };
  // A connection cut while a body or stream was being read (undici's 'terminated').
  if (error instanceof TypeError && isSocketError(error)) return { action: 'retry', code: 'connection_error' };
  // opossum refused the attempt without a call: its breaker opened since the deployment was chosen.
  if ((error as { code?: unknown } | null)?.code === 'EOPENBREAKER') return { action: 'next', code: 'breaker_open' };
  return { action: 'next', code: 'unknown' };
}

interface StatusError {
  readonly status: number;
  readonly headers?: { get(name: string): string | null };
  readonly code?: unknown;
  readonly message?: unknown;
}

function byStatus(error: StatusError, status: number): Failure {
  const { headers } = error;
  const wait = retryAfterMs(headers);
  const withWait = wait === undefined ? {} : { retryAfterMs: wait };
  const retryCode = status >= 500 ? 'server_error' : retryableStatus[status];
  if (retryCode !== undefined) return { action: 'retry', code: retryCode, status, ...withWait };
  const nextCode = nextStatus[status];
  if (nextCode !== undefined) return { action: 'next', code: nextCode, status };
  // A redirect our clients did not follow (provider option followRedirects): not this request's fault.
  if (status >= 300 && status < 400) return { action: 'next', code: 'redirect_blocked', status };
  if (isContextLengthError(error, status)) return { action: 'next', code: 'context_length_exceeded', status };
  return { action: 'throw', code: 'bad_request', status };
}

type OpenAIErrorKind = 'APIUserAbortError' | 'APIConnectionTimeoutError' | 'APIConnectionError' | 'APIError' | 'StreamError';

/**
 * Which `openai` error this is. `instanceof` first; then by class name and shape, because a client
 * the application brings may come from another installed copy of `openai`, whose classes differ.
 */
function openaiErrorKind(error: unknown): OpenAIErrorKind | undefined {
  if (error instanceof APIUserAbortError) return 'APIUserAbortError';
  if (error instanceof APIConnectionTimeoutError) return 'APIConnectionTimeoutError';
  if (error instanceof APIConnectionError) return 'APIConnectionError';
  if (error instanceof APIError) return typeof error.status === 'number' ? 'APIError' : 'StreamError';
  if (typeof error !== 'object' || error === null) return undefined;
  for (let proto = Object.getPrototypeOf(error) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const name = (proto.constructor as { name?: unknown } | undefined)?.name;
    if (name === 'APIUserAbortError' || name === 'APIConnectionTimeoutError' || name === 'APIConnectionError') return name;
    if (name === 'APIError') return typeof (error as { status?: unknown }).status === 'number' ? 'APIError' : 'StreamError';
  }
  return undefined;
}

function isSocketError(error: TypeError): boolean {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return error.message === 'terminated' || (typeof code === 'string' && (code.startsWith('UND_ERR') || code.startsWith('ECONN')));
}

function isContextLengthError(error: StatusError, status: number): boolean {
  if (error.code === 'context_length_exceeded') return true;
  return (
    status === 400 &&
    typeof error.message === 'string' &&
    /context length|context window|maximum context|too many tokens/i.test(error.message)
  );
}
