import type { ServerResponse } from 'node:http';
import { completionBody, planCompletion, streamEvents } from './completionBodies.js';
import { delay } from './delay.js';
import { errorBody } from './errorBodies.js';
import type { Exchange } from './Exchange.js';
import type { MockReply } from './MockReply.js';
import { sendJson, sendText } from './sendJson.js';
import { streamCompletion } from './streamCompletion.js';

/** A JSON body cut short, labelled as JSON, so the client's parser is the one that fails. */
const MALFORMED_JSON = '{"id": "chatcmpl-malformed", "object": "chat.completion", "choices": [';

/**
 * Answers a valid `POST /v1/chat/completions` with `reply`. Everything up to the latency timer
 * runs synchronously after the request is recorded, so a test that saw the request arrive can
 * advance fake timers past the latency.
 */
export async function respondToChat(
  res: ServerResponse,
  exchange: Exchange,
  body: Record<string, unknown>,
  model: string,
  reply: MockReply,
  baseHeaders: Record<string, string>,
): Promise<void> {
  if (!(await delay(reply.latencyMs ?? 0, exchange.signal))) return;
  if (reply.fault === 'reset') return exchange.reset();
  // Hanging: answer nothing; the exchange ends when the client leaves or the mock closes.
  if (reply.fault === 'hang') return;

  const headers = { ...baseHeaders, ...reply.headers };
  const status = reply.status ?? 200;
  const stream = body['stream'] === true;
  if (reply.fault === 'malformed' && !stream) return sendText(res, status, MALFORMED_JSON, headers);
  if (status >= 300) return sendJson(res, status, errorBody(status, reply.error), headers);

  const plan = planCompletion(reply, model, body);
  if (!stream) return sendJson(res, status, completionBody(plan), headers);
  const streamOptions = body['stream_options'] as { include_usage?: unknown } | null | undefined;
  const withUsage = reply.streamUsage ?? streamOptions?.include_usage === true;
  await streamCompletion(res, exchange, streamEvents(plan, reply.chunkChars ?? 8, withUsage), reply, status, headers);
}
