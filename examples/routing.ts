/**
 * Smart routing: 'auto' sends easy questions to the cheap tier and hard ones to the best, a context
 * window too small is never tried, and a budget refuses what it cannot afford. On the embedded mock:
 *   npx tsx examples/routing.ts
 */
import { BudgetExceededError, createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const mock = await startMockOpenAI();
  const catalog = defineCatalog({
    providers: { local: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['economy', 'warm', 'hot'],
    models: [
      { id: 'mini', provider: 'local', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 4_000 },
      { id: 'mid', provider: 'local', tier: 'warm', inputCostPerMTok: 1, outputCostPerMTok: 4, contextWindow: 32_000 },
      { id: 'best', provider: 'local', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
    ],
  });
  const client = createTieredClient({ catalog, budget: { limitUsd: 0.05, windowMs: 60_000, onExceeded: 'reject' } });
  client.on('route', (e) => log(`  route: ${e.tier} (${e.by}: ${e.reason})`));

  for (const question of [
    'Hi! What time zone is Paris in?',
    'Prove step by step that this loop terminates and compare it with a recursive version:\n```js\nwhile (n > 1) n = n % 2 ? 3 * n + 1 : n / 2;\n```',
  ]) {
    const r = await client.tieredChat({ model: 'auto', messages: [{ role: 'user', content: question }] });
    log(`${r.model} answered for $${r.costUsd.toFixed(6)}`);
  }

  // 'mini' has a 4,000-token window: a long document goes to a larger model.
  const long = await client.tieredChat({
    model: 'economy',
    messages: [{ role: 'user', content: 'Summarise: ' + 'lorem ipsum '.repeat(2_000) }],
  });
  log(`a long document went to ${long.model}`);

  // A call that could cost more than the budget has left is refused before it is sent.
  try {
    await client.tieredChat({ model: 'hot', messages: [{ role: 'user', content: 'Write a novel.' }], max_completion_tokens: 100_000 });
  } catch (error) {
    if (BudgetExceededError.isInstance(error)) log(`refused: could cost $${error.reservationUsd.toFixed(2)}, limit $${error.limitUsd}`);
  }

  await client.close();
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
