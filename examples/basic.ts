/**
 * The basic call: a catalog of tiers, a tiered client, and the same create() call as with `openai`.
 * Runs on the embedded mock provider, no API key needed:  npx tsx examples/basic.ts
 */
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const mock = await startMockOpenAI({ models: { 'gpt-4o-mini': { content: 'Paris.', latencyMs: 5 } } });

  const catalog = defineCatalog({
    providers: { openai: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['economy', 'hot'],
    models: [
      { id: 'gpt-4o-mini', provider: 'openai', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
      { id: 'gpt-4o', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
    ],
  });
  const client = createTieredClient({ catalog });

  // A drop-in call: same parameters, same ChatCompletion back. `model` names a tier (or a model id).
  const completion = await client.chat.completions.create({
    model: 'economy',
    messages: [{ role: 'user', content: 'What is the capital of France?' }],
  });
  log(`answer: ${completion.choices[0]?.message.content}`);

  // The same call with the routing result: which deployment answered, and what it cost.
  const result = await client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'And of Italy?' }] });
  log(`model: ${result.provider}/${result.model} (${result.tier}), cost: $${result.costUsd.toFixed(8)}, tries: ${result.attempts.length}`);

  await client.close();
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
