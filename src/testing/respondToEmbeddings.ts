import type { ServerResponse } from 'node:http';
import { beginReply } from './beginReply.js';
import { embeddingsBody, type EmbeddingsPlan } from './embeddingBodies.js';
import type { Exchange } from './Exchange.js';
import type { MockReply } from './MockReply.js';
import { sendJson } from './sendJson.js';

/** A JSON body cut short, labelled as JSON, so the client's parser is the one that fails. */
const MALFORMED_JSON = '{"object": "list", "data": [{"object": "embedding", "index": 0, "embedding": [0.1, ';

/**
 * Answers a valid `POST /v1/embeddings` with `reply`. Latency, faults and error statuses are
 * played by `beginReply`, exactly as for chat completions; the chat-only fields of the reply
 * (content, tool calls, streaming) are ignored.
 */
export async function respondToEmbeddings(
  res: ServerResponse,
  exchange: Exchange,
  plan: EmbeddingsPlan,
  model: string,
  reply: MockReply,
  baseHeaders: Record<string, string>,
): Promise<void> {
  const begun = await beginReply(res, exchange, reply, baseHeaders, MALFORMED_JSON);
  if (begun !== undefined) sendJson(res, begun.status, embeddingsBody(plan, model, reply), begun.headers);
}
