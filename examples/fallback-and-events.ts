/**
 * Fallback and events: the economy model is rate limited and the warm one is down, so the request
 * escalates to the hot tier; every step shows up in the events. Runs on the embedded mock provider:
 *   npx tsx examples/fallback-and-events.ts
 */
import { AllModelsFailedError, createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const mock = await startMockOpenAI({
    models: {
      'cheap-model': { status: 429, headers: { 'retry-after': '60' } }, // asks for a minute: cools down, no wait
      'mid-model': { status: 503 },
      'best-model': { content: 'Answered by the hot tier.' },
    },
  });
  const catalog = defineCatalog({
    providers: { local: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['economy', 'warm', 'hot'],
    models: [
      { id: 'cheap-model', provider: 'local', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      { id: 'mid-model', provider: 'local', tier: 'warm', inputCostPerMTok: 1, outputCostPerMTok: 4, contextWindow: 128_000 },
      { id: 'best-model', provider: 'local', tier: 'hot', inputCostPerMTok: 5, outputCostPerMTok: 20, contextWindow: 200_000 },
    ],
  });
  const client = createTieredClient({ catalog, fallback: 'escalate', retry: { retries: 1, minTimeoutMs: 10 } });

  client.on('attempt:error', (e) =>
    log(`  ${e.model}: ${e.error.code} (${e.error.status ?? '-'})${e.willRetry ? `, retrying in ${e.delayMs} ms` : ''}`),
  );
  client.on('fallback', (e) => log(`  fallback ${e.from} -> ${e.to} (${e.reason})`));
  client.on('request:end', (e) => log(`  done on ${e.model} in ${e.attempts.length} tries, $${e.costUsd.toFixed(6)}`));

  const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'Hello?' }] });
  log(`answer: ${result.text}`);

  // With no fallback, the failure is typed and carries every try.
  const strict = createTieredClient({ catalog, fallback: 'none', retry: { retries: 0 } });
  try {
    await strict.chat.completions.create({ model: 'warm', messages: [{ role: 'user', content: 'Hello?' }] });
  } catch (error) {
    if (AllModelsFailedError.isInstance(error)) log(`failed: ${error.code}, ${error.attempts.length} try, hint: ${error.hint}`);
  }

  await Promise.all([client.close(), strict.close()]);
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
