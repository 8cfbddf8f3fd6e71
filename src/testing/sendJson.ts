import type { ServerResponse } from 'node:http';

/** Sends a complete JSON response; `headers` (the reply's own included) win over the defaults. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  sendText(res, status, JSON.stringify(body), headers);
}

/**
 * Sends `text` labelled as JSON with an exact content-length, so even a malformed body ends the
 * response cleanly and the keep-alive connection stays usable.
 */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
