import type { ChatCompletion } from 'openai/resources/chat/completions';

/** The header of `withResponse()` and `asResponse()` that carries our request id, for `client.feedback()`. */
const requestIdHeader = 'x-tiered-llm-request-id';

/** The HTTP response behind each live result, for `withResponse()`; results the cache answered have none. */
const responses = new WeakMap<object, Response>();
/** The request id of each stream (a completion's is on its result). */
const requestIds = new WeakMap<object, string>();

/** Remembers the HTTP response a result came from. */
export function rememberResponse(result: object, response: Response | undefined): void {
  if (response !== undefined) responses.set(result, response);
}

/** Remembers the request id of a stream, for its response's header. */
export function rememberRequestId(stream: object, requestId: string): void {
  requestIds.set(stream, requestId);
}

/** The request id remembered for a stream. */
export function requestIdOf(stream: object): string | undefined {
  return requestIds.get(stream);
}

/**
 * The HTTP response a result came from (for a cached one, a `200` made from its completion), with
 * our request id in its headers. Made when asked for: a call whose response nobody reads pays nothing.
 */
export function responseOf(result: object, completion: ChatCompletion | undefined, requestId: string | undefined): Response {
  const response = responses.get(result);
  if (response === undefined) return cachedResponse(completion, requestId);
  if (requestId !== undefined && response.headers.get(requestIdHeader) !== requestId) stamp(response, requestId);
  return response;
}

/**
 * Adds our request id to a fetched response's headers. Those are immutable, and its body is being
 * (or has been) read, so the response cannot be remade: its `headers` are shadowed by a copy.
 */
function stamp(response: Response, requestId: string): void {
  const headers = new Headers(response.headers);
  headers.set(requestIdHeader, requestId);
  Object.defineProperty(response, 'headers', { value: headers, configurable: true, enumerable: false });
}

/** A response standing for an answer served from the cache: the completion (none for a stream), marked as a hit. */
function cachedResponse(completion: ChatCompletion | undefined, requestId: string | undefined): Response {
  const headers: Record<string, string> = {
    'content-type': completion === undefined ? 'text/event-stream' : 'application/json',
    'x-tiered-llm-cache': 'hit',
  };
  if (requestId !== undefined) headers[requestIdHeader] = requestId;
  return new Response(completion === undefined ? null : JSON.stringify(completion), { status: 200, headers });
}
