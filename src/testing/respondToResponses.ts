import type { ServerResponse } from 'node:http';
import { beginReply } from './beginReply.js';
import type { Exchange } from './Exchange.js';
import type { MockReply } from './MockReply.js';
import { playStream } from './playStream.js';
import { planResponse, responseBody } from './responseBodies.js';
import { failedEvent, responseEvents } from './responseEvents.js';
import type { ResponseMemory } from './ResponseMemory.js';
import type { ResponseRequest } from './responseRequest.js';
import { sendJson } from './sendJson.js';

/** A JSON body cut short, labelled as JSON, so the client's parser is the one that fails. */
const MALFORMED_JSON = '{"id": "resp_malformed", "object": "response", "output": [';

/**
 * Answers a valid `POST /v1/responses` with `reply`, as JSON or, for `stream: true`, as SSE
 * events. Latency, faults and error statuses are played by `beginReply` as for chat completions.
 * The response's id is remembered once it is sent (its JSON, or its `response.created` event),
 * unless the request said `store: false`: OpenAI keeps no such response to continue from.
 */
export async function respondToResponses(
  res: ServerResponse,
  exchange: Exchange,
  body: Record<string, unknown>,
  request: ResponseRequest,
  reply: MockReply,
  baseHeaders: Record<string, string>,
  memory: ResponseMemory,
  cachedTokens = 0,
): Promise<void> {
  const stream = body['stream'] === true;
  const begun = await beginReply(res, exchange, reply, baseHeaders, stream ? undefined : MALFORMED_JSON);
  if (begun === undefined) return;
  const { status, headers } = begun;

  const plan = planResponse(reply, String(body['model']), body, request.inputChars, cachedTokens);
  if (body['store'] !== false) memory.remember(plan.id);
  if (!stream) return sendJson(res, status, responseBody(plan, 'final'), headers);
  const ending = { failure: (sequence: number) => failedEvent(plan, reply, sequence) };
  await playStream(res, exchange, responseEvents(plan, reply.chunkChars ?? 8), reply, status, headers, ending);
}
