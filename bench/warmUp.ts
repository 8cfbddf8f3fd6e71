import type { benchClients } from './catalog.js';
import { benchNonStreaming } from './nonStreaming.js';
import { benchStreaming } from './streaming.js';
import { benchThroughput } from './throughput.js';

/**
 * Warms both clients up, so that neither is measured while its code is still being compiled: in a
 * fresh process tiered-llm's CPU per call takes some 1,500 calls to settle (one at a time is the
 * quickest way there; 64 cold calls at once are slow).
 */
export async function warmUp(clients: ReturnType<typeof benchClients>, concurrency: number): Promise<void> {
  await benchNonStreaming(clients.complete, 1536);
  await benchStreaming(clients.stream, 512);
  await benchThroughput(clients.complete, 512, concurrency);
  await benchNonStreaming(clients.embed, 512);
  await benchNonStreaming(clients.respond, 512);
}
