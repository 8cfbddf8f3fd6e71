import type { ServerResponse } from 'node:http';

/**
 * Starts an SSE response and sends its headers at once, so the client's request resolves before
 * the first event. `headers` (the reply's own included) win over the defaults.
 */
export function startSse(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  res.flushHeaders();
}

/**
 * Writes one event: a `data:` line, after an `event:` line when the event has a name (the
 * Responses API names each event after its `type`; chat completions name none). Node hands each
 * chunk of a chunked response straight to the socket (and its server disables Nagle), so every
 * event reaches the client as it is sent. Resolves once the event is handed to the kernel, so a
 * cut that follows does not swallow it.
 */
export function writeSse(res: ServerResponse, data: unknown, name?: string): Promise<void> {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return new Promise((resolve) => {
    res.write(`${name === undefined ? '' : `event: ${name}\n`}data: ${payload}\n\n`, () => resolve());
  });
}

/** A `data:` line whose payload is not JSON, as a broken proxy might send. */
export const MALFORMED_SSE_DATA = '{"id": "chatcmpl-malformed", "choices": [';

/** The line that ends a chat completion stream (Responses streams end without one). */
export const SSE_DONE = '[DONE]';
