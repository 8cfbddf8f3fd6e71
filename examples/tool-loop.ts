/**
 * A tool loop with `openai`'s own `runTools()` helper: the model asks for a tool, the helper runs
 * it and sends the result back, until the model answers. Every round is one routed call, with its
 * own retries, fallback, events and cost. Runs on the embedded mock provider, no API key needed:
 *   npx tsx examples/tool-loop.ts
 */
import { zodFunction } from 'openai/helpers/zod';
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI, type MockRequest } from 'tiered-llm/testing';
import { z } from 'zod';

/** The scripted model: asks for the weather until a tool result is in the conversation, then answers with it. */
function weatherModel(request: MockRequest) {
  const messages = (request.body as { messages: { role: string; content?: string }[] }).messages;
  const result = messages.find((m) => m.role === 'tool');
  return result === undefined
    ? { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] }
    : { content: `It is ${JSON.parse(result.content ?? '{}').celsius} C in Oslo.` };
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const mock = await startMockOpenAI({ models: { 'gpt-4o-mini': weatherModel } });
  const catalog = defineCatalog({
    providers: { openai: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['economy', 'hot'],
    models: [
      { id: 'gpt-4o-mini', provider: 'openai', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
      { id: 'gpt-4o', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
    ],
  });
  const client = createTieredClient({ catalog, retry: { minTimeoutMs: 10 } });
  mock.enqueue('gpt-4o-mini', { status: 503 }); // the first round's first try fails: retried within that round

  // One request:end per round: the loop's cost is theirs added up.
  let round = 0;
  let total = 0;
  client.on('request:end', (e) => {
    total += e.costUsd;
    const tries = e.attempts.length === 1 ? '1 try' : `${e.attempts.length} tries`;
    log(`round ${++round}: ${e.model} (${e.tier}), ${e.finishReasons.join(', ')}, ${tries}, $${e.costUsd.toFixed(8)}`);
  });

  const runner = client.chat.completions.runTools({
    model: 'economy',
    messages: [{ role: 'user', content: 'Should I take a coat in Oslo?' }],
    tools: [
      zodFunction({
        name: 'get_weather',
        parameters: z.object({ city: z.string() }),
        function: ({ city }) => {
          log(`  get_weather(${city})`);
          return { city, celsius: 4 };
        },
      }),
    ],
  });
  log(`answer: ${await runner.finalContent()}`);
  log(`${round} rounds, $${total.toFixed(8)} in all`);

  await client.close();
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
