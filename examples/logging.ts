/**
 * Structured logs from the client's events with pino: one line per call with its cost and route,
 * a warning per fallback, an error per failure. No prompt or answer text (unless captureContent).
 *   npx tsx examples/logging.ts
 */
import { pino, type Logger } from 'pino';
import { createTieredClient, defineCatalog, type TieredClient } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

/** Logs a client's calls with `logger`; returns the function that stops it. */
export function logCalls(client: TieredClient, logger: Logger): () => void {
  const offs = [
    client.on('request:end', (e) =>
      logger.info(
        {
          requestId: e.requestId,
          tier: e.tier,
          model: e.model,
          provider: e.provider,
          costUsd: e.costUsd,
          latencyMs: Math.round(e.latencyMs),
          tries: e.attempts.length,
          cached: e.cached,
        },
        'llm call',
      ),
    ),
    client.on('fallback', (e) =>
      logger.warn(
        { requestId: e.requestId, from: `${e.fromProvider}/${e.from}`, to: `${e.toProvider}/${e.to}`, reason: e.reason },
        'llm fallback',
      ),
    ),
    client.on('request:error', (e) => logger.error({ requestId: e.requestId, err: e.error, tries: e.attempts.length }, 'llm call failed')),
  ];
  return () => offs.forEach((off) => off());
}

export async function main(write: (line: string) => void = (line) => process.stdout.write(line)): Promise<void> {
  const mock = await startMockOpenAI({ models: { flaky: { status: 503 }, steady: {} } });
  const catalog = defineCatalog({
    providers: { local: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['economy', 'hot'],
    models: [
      { id: 'flaky', provider: 'local', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
      { id: 'steady', provider: 'local', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
    ],
  });
  const client = createTieredClient({ catalog, retry: { retries: 0 } });
  const logger = pino({ base: null, timestamp: false }, { write });
  const stop = logCalls(client, logger);

  await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'Hello?' }] });

  stop();
  await client.close();
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
