import type { ServerResponse } from 'node:http';
import { beginReply } from './beginReply.js';
import { completionBody, planCompletion, streamEvents } from './completionBodies.js';
import type { Exchange } from './Exchange.js';
import type { MockReply } from './MockReply.js';
import { errorBody } from './errorBodies.js';
import { playStream, type StreamEnding } from './playStream.js';
import { sendJson } from './sendJson.js';
import { SSE_DONE } from './sse.js';

/** A JSON body cut short, labelled as JSON, so the client's parser is the one that fails. */
const MALFORMED_JSON = '{"id": "chatcmpl-malformed", "object": "chat.completion", "choices": [';

/**
 * Answers a valid `POST /v1/chat/completions` with `reply`. Latency, faults and error statuses
 * are played by `beginReply`, the same way for every endpoint.
 */
export async function respondToChat(
  res: ServerResponse,
  exchange: Exchange,
  body: Record<string, unknown>,
  model: string,
  reply: MockReply,
  baseHeaders: Record<string, string>,
  cachedTokens = 0,
): Promise<void> {
  const stream = body['stream'] === true;
  const begun = await beginReply(res, exchange, reply, baseHeaders, stream ? undefined : MALFORMED_JSON);
  if (begun === undefined) return;
  const { status, headers } = begun;

  const plan = planCompletion(reply, model, body, cachedTokens);
  if (!stream) return sendJson(res, status, completionBody(plan), headers);
  const streamOptions = body['stream_options'] as { include_usage?: unknown } | null | undefined;
  const withUsage = reply.streamUsage ?? streamOptions?.include_usage === true;
  const ending: StreamEnding = {
    done: reply.omitDone === true ? undefined : SSE_DONE,
    // What OpenAI sends when a chat stream fails midway; openai's client throws it as an APIError.
    failure: () => ({ kind: 'closing', data: errorBody(500, reply.error) }),
  };
  await playStream(res, exchange, streamEvents(plan, reply.chunkChars ?? 8, withUsage), reply, status, headers, ending);
}
