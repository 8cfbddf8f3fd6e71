import type { ChatCompletion } from 'openai/resources/chat/completions';

/** The HTTP response behind each live result, for `withResponse()`; results the cache answered have none. */
const responses = new WeakMap<object, Response>();

/** Remembers the HTTP response a result came from. */
export function rememberResponse(result: object, response: Response | undefined): void {
  if (response !== undefined) responses.set(result, response);
}

/** The HTTP response a result came from; for a cached one, a `200` made from its completion. */
export function responseOf(result: object, completion: ChatCompletion | undefined): Response {
  return responses.get(result) ?? cachedResponse(completion);
}

/** A response standing for an answer served from the cache: the completion (none for a stream), marked as a hit. */
function cachedResponse(completion: ChatCompletion | undefined): Response {
  return new Response(completion === undefined ? null : JSON.stringify(completion), {
    status: 200,
    headers: { 'content-type': completion === undefined ? 'text/event-stream' : 'application/json', 'x-tiered-llm-cache': 'hit' },
  });
}
