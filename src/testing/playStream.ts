import type { ServerResponse } from 'node:http';
import { delay } from './delay.js';
import type { Exchange } from './Exchange.js';
import type { MockReply } from './MockReply.js';
import { MALFORMED_SSE_DATA, startSse, writeSse } from './sse.js';

/** One SSE event of a stream, chat completion chunk or Responses event alike. */
export interface SseEvent {
  /** Stream faults count the `content` events; `opening` and `closing` ones frame them. */
  readonly kind: 'opening' | 'content' | 'closing';
  readonly data: unknown;
  /** The `event:` line's name, for APIs that send one. */
  readonly name?: string;
}

/** How a stream ends, which differs between the APIs. */
export interface StreamEnding {
  /** The `data:` line after the last event (`[DONE]` for chat completions), if any. */
  readonly done?: string | undefined;
  /** The event reporting a failure scripted by `failAfterChunks`, given how many events preceded it. */
  failure(sequence: number): SseEvent;
}

/**
 * Streams `events` as SSE, applying the reply's stream faults after the Nth content event. A
 * fault count beyond the number of content events takes effect after the last one (before the
 * first closing event when there is no content), so the stream never finishes properly.
 */
export async function playStream(
  res: ServerResponse,
  exchange: Exchange,
  events: readonly SseEvent[],
  reply: MockReply,
  status: number,
  headers: Record<string, string>,
  ending: StreamEnding,
): Promise<void> {
  const { signal } = exchange;
  startSse(res, status, headers);
  if (reply.fault === 'malformed' && reply.malformedAfterChunks === undefined) void writeSse(res, MALFORMED_SSE_DATA);

  const total = events.filter((event) => event.kind === 'content').length;
  let sent = 0;
  let checked = -1;
  for (const [index, event] of events.entries()) {
    if (index > 0 && !(await delay(reply.chunkDelayMs ?? 0, signal))) return;
    if (signal.aborted) return;
    let written = writeSse(res, event.data, event.name);
    if (event.kind === 'content') sent++;

    // Faults apply after a content event, or after the opening events when no content was sent yet.
    const next = events[index + 1];
    const checkpoint = event.kind === 'content' || (sent === 0 && event.kind === 'opening' && next?.kind !== 'opening');
    // Once per count: a Responses stream with empty text reaches 0 again before its function calls.
    if (!checkpoint || checked === sent) continue;
    checked = sent;
    // After the last content event, every larger count is due as well.
    const due = (count: number | undefined): boolean => count !== undefined && (count === sent || (sent === total && count > sent));
    if (due(reply.malformedAfterChunks)) written = writeSse(res, MALFORMED_SSE_DATA);
    if (due(reply.cutAfterChunks)) {
      await written;
      return exchange.reset();
    }
    // Silent from here on: the exchange stays open until the client leaves or the mock closes.
    if (due(reply.hangAfterChunks)) return;
    // A clean end of the response with no finish: a stream cut short politely.
    if (due(reply.endAfterChunks)) {
      await written;
      res.end();
      return;
    }
    if (due(reply.failAfterChunks)) {
      const failure = ending.failure(index + 1);
      await writeSse(res, failure.data, failure.name);
      res.end();
      return;
    }
  }

  if (!(await delay(reply.chunkDelayMs ?? 0, signal))) return;
  if (ending.done !== undefined) void writeSse(res, ending.done);
  res.end();
}
