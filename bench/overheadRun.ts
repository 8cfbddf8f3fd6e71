/**
 * One run of `npm run bench`'s overhead measures, in a fresh process: both clients warmed up, then
 * each measure in alternating batches (raw openai, tiered-llm, turn about). Sends its figures to
 * the parent (bench/run.ts) and exits.
 *   args: <mock url> <iterations> <concurrency>
 */
import { benchCacheHit } from './cache.js';
import { benchClients } from './catalog.js';
import type { ClientFigures, RunFigures } from './figures.js';
import { benchNonStreaming } from './nonStreaming.js';
import { benchStreaming } from './streaming.js';
import { benchThroughput } from './throughput.js';
import { warmUp } from './warmUp.js';

const [url, iterationsArg, concurrencyArg] = process.argv.slice(2);
const iterations = Number(iterationsArg);
const concurrency = Number(concurrencyArg);
if (!url || !Number.isInteger(iterations) || !Number.isInteger(concurrency))
  throw new Error('overheadRun: <mock url> <iterations> <concurrency>');

const clients = benchClients(url);
try {
  await warmUp(clients, concurrency);

  const calls = await benchNonStreaming(clients.complete, iterations);
  const streams = await benchStreaming(clients.stream, iterations);
  const throughput = await benchThroughput(clients.complete, iterations * 4, concurrency);
  const cacheHitUs = await benchCacheHit(url, iterations * 2);
  const embeddings = await benchNonStreaming(clients.embed, iterations);
  const responses = await benchNonStreaming(clients.respond, iterations);
  const figures = (client: 'raw' | 'tiered' | 'ratio'): ClientFigures => ({
    latencyMs: calls[client].medianMs,
    latencyP99Ms: calls[client].p99Ms,
    cpuPerCallUs: calls[client].cpuUs,
    ttftMs: streams[client].ttftMs,
    ttftP99Ms: streams[client].ttftP99Ms,
    streamMs: streams[client].totalMs,
    cpuPerStreamUs: streams[client].cpuUs,
    callsPerSecond: throughput[client].rate,
    cpuPerConcurrentCallUs: throughput[client].cpuUs,
    embeddingsMs: embeddings[client].medianMs,
    responsesMs: responses[client].medianMs,
  });
  const run: RunFigures = { raw: figures('raw'), tiered: figures('tiered'), ratio: figures('ratio'), cacheHitUs };
  // Exit once sent: the clients' keep-alive sockets to the mock, which lives on for the next run, would hold the process.
  process.send?.(run, () => process.exit(0));
} finally {
  await clients.close();
}
