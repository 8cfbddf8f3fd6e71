import type { ServerResponse } from 'node:http';
import type { StreamEvent } from './completionBodies.js';
import { delay } from './delay.js';
import type { Exchange } from './Exchange.js';
import type { MockReply } from './MockReply.js';
import { MALFORMED_SSE_DATA, SSE_DONE, startSse, writeSse } from './sse.js';

/**
 * Streams `events` as SSE, applying the reply's stream faults. A fault count beyond the number of
 * content chunks takes effect after the last one, so the finish chunk is never sent.
 */
export async function streamCompletion(
  res: ServerResponse,
  exchange: Exchange,
  events: readonly StreamEvent[],
  reply: MockReply,
  status: number,
  headers: Record<string, string>,
): Promise<void> {
  const { signal } = exchange;
  startSse(res, status, headers);
  if (reply.fault === 'malformed' && reply.malformedAfterChunks === undefined) void writeSse(res, MALFORMED_SSE_DATA);

  let sent = 0;
  for (const [index, event] of events.entries()) {
    if (index > 0 && !(await delay(reply.chunkDelayMs ?? 0, signal))) return;
    if (signal.aborted) return;
    let written = writeSse(res, event.chunk);
    if (event.kind === 'content') sent++;

    const next = events[index + 1];
    const atBoundary = (event.kind === 'role' || event.kind === 'content') && next?.kind !== 'role';
    if (!atBoundary) continue;
    // After the last content chunk, every larger count is due as well.
    const due = (count: number | undefined): boolean =>
      count !== undefined && (count === sent || (next?.kind !== 'content' && count > sent));
    if (due(reply.malformedAfterChunks)) written = writeSse(res, MALFORMED_SSE_DATA);
    if (due(reply.cutAfterChunks)) {
      await written;
      return exchange.reset();
    }
    // Silent from here on: the exchange stays open until the client leaves or the mock closes.
    if (due(reply.hangAfterChunks)) return;
    // A clean end of the response with no finish chunk and no [DONE]: a stream cut short politely.
    if (due(reply.endAfterChunks)) {
      await written;
      res.end();
      return;
    }
  }

  if (!(await delay(reply.chunkDelayMs ?? 0, signal))) return;
  if (reply.omitDone !== true) void writeSse(res, SSE_DONE);
  res.end();
}
