import type { ServerResponse } from 'node:http';
import { delay } from './delay.js';
import { errorBody } from './errorBodies.js';
import type { Exchange } from './Exchange.js';
import type { MockReply } from './MockReply.js';
import { sendJson, sendText } from './sendJson.js';

/** What is left to send once `beginReply` let the request through: a success response. */
export interface BegunReply {
  /** The reply's status (2xx). */
  readonly status: number;
  /** The base headers with the reply's own on top. */
  readonly headers: Record<string, string>;
}

/**
 * Plays the part of a scripted reply that every endpoint shares, so chat completions and
 * embeddings fail alike: wait `latencyMs`, then a `'reset'` or `'hang'` fault, then a
 * `'malformed'` body (only when the endpoint passes one: a streaming chat sends its malformed line
 * later), then an error status with its OpenAI error body. Resolves to what is left of a success
 * response, or `undefined` when the exchange has been dealt with (or the client left meanwhile).
 * Everything before the latency timer runs synchronously, so a test that saw the request arrive
 * can advance fake timers past the latency.
 */
export async function beginReply(
  res: ServerResponse,
  exchange: Exchange,
  reply: MockReply,
  baseHeaders: Record<string, string>,
  malformedBody: string | undefined,
): Promise<BegunReply | undefined> {
  if (!(await delay(reply.latencyMs ?? 0, exchange.signal))) return undefined;
  if (reply.fault === 'reset') {
    exchange.reset();
    return undefined;
  }
  // Hanging: answer nothing; the exchange ends when the client leaves or the mock closes.
  if (reply.fault === 'hang') return undefined;

  const headers = { ...baseHeaders, ...reply.headers };
  const status = reply.status ?? 200;
  if (reply.fault === 'malformed' && malformedBody !== undefined) {
    sendText(res, status, malformedBody, headers);
    return undefined;
  }
  if (status >= 300) {
    sendJson(res, status, errorBody(status, reply.error), headers);
    return undefined;
  }
  return { status, headers };
}
