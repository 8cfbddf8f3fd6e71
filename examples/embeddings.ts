/**
 * Embeddings routed like chat: `client.embeddings.create()` names a tier or an embedding model of the
 * catalog, and is retried, falls back, is cached and priced. A failing deployment falls back only to
 * another deployment of the same model: another model's vectors live in another space, and mixing
 * them into an index would be silently wrong. Runs on the embedded mock providers, no API key needed:
 *   npx tsx examples/embeddings.ts
 */
import { AllModelsFailedError, createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const us = await startMockOpenAI({ models: { 'text-embedding-3-small': { status: 503 } } });
  const eu = await startMockOpenAI();
  const catalog = defineCatalog({
    providers: { us: { apiKey: 'sk-demo-us', baseURL: us.url }, eu: { apiKey: 'sk-demo-eu', baseURL: eu.url } },
    tiers: ['economy', 'vectors'],
    models: [
      { id: 'gpt-4o-mini', provider: 'us', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
      // One embedding model in two regions, and another model beside it: never a fallback for the first.
      {
        id: 'text-embedding-3-small',
        provider: 'us',
        tier: 'vectors',
        inputCostPerMTok: 0.02,
        contextWindow: 8_191,
        capabilities: ['embeddings'],
      },
      {
        id: 'text-embedding-3-small',
        provider: 'eu',
        tier: 'vectors',
        inputCostPerMTok: 0.02,
        contextWindow: 8_191,
        capabilities: ['embeddings'],
      },
      {
        id: 'text-embedding-3-large',
        provider: 'us',
        tier: 'vectors',
        inputCostPerMTok: 0.13,
        contextWindow: 8_191,
        capabilities: ['embeddings'],
      },
    ],
  });
  const client = createTieredClient({ catalog, retry: { retries: 0 }, cache: {} });
  client.on('fallback', (e) => log(`  fallback: ${e.to} in the next region (${e.reason})`));
  client.on('request:end', (e) =>
    log(`  ${e.operation}: ${e.provider}/${e.model}, ${e.usage.inputTokens} tokens, $${e.costUsd.toFixed(8)}${e.cached ? ', cached' : ''}`),
  );

  // 'vectors' names the tier's first embedding model; the US deployment fails, the EU one answers.
  const texts = ['The food was delicious.', 'The meal was tasty.'];
  const { data } = await client.embeddings.create({ model: 'vectors', input: texts });
  log(`${data.length} vectors of ${data[0]?.embedding.length} dimensions`);

  // The same request again: the cache answers.
  await client.embeddings.create({ model: 'vectors', input: texts });

  // When every deployment of the model fails, the call fails: it never answers with text-embedding-3-large.
  await eu.close();
  try {
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'Another text.' });
  } catch (error) {
    if (!(error instanceof AllModelsFailedError)) throw error;
    log(
      `failed over ${error.attempts.map((a) => a.provider).join(', ')}: ${us.requestsFor('text-embedding-3-large').length} calls to another model`,
    );
  }
  await client.close();
  await us.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
