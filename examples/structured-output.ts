/**
 * Structured output with zod, through `openai`'s own `parse()` helper: the schema goes out as a
 * `response_format`, the answer comes back as `message.parsed`, typed from the schema. The economy
 * model answers in prose instead of JSON, so quality escalation asks the hot tier, and the events
 * say who answered. Runs on the embedded mock provider, no API key needed:
 *   npx tsx examples/structured-output.ts
 */
import { zodResponseFormat } from 'openai/helpers/zod';
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';
import { z } from 'zod';

const Weather = z.object({ city: z.string(), celsius: z.number(), sky: z.enum(['clear', 'cloudy', 'rain']) });

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const mock = await startMockOpenAI({
    models: {
      'gpt-4o-mini': { content: 'It is a lovely 21 degrees in Paris today!' }, // not the JSON that was asked for
      'gpt-4o': { content: '{"city":"Paris","celsius":21,"sky":"clear"}' },
    },
  });
  const catalog = defineCatalog({
    providers: { openai: { apiKey: 'sk-demo', baseURL: mock.url } },
    tiers: ['economy', 'hot'],
    models: [
      { id: 'gpt-4o-mini', provider: 'openai', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
      { id: 'gpt-4o', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
    ],
  });
  // Quality escalation: an answer that is not valid JSON, when JSON was asked for, is asked again one tier up.
  const client = createTieredClient({ catalog, qualityEscalation: true });
  client.on('fallback', (e) => log(`  ${e.from} -> ${e.to} (${e.reason})`));
  client.on('request:end', (e) => log(`  answered by ${e.model} (${e.tier}) in ${e.attempts.length} tries, $${e.costUsd.toFixed(6)}`));

  // openai's own helper, unchanged: it calls create(), which is routed.
  const completion = await client.chat.completions.parse({
    model: 'economy',
    messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    response_format: zodResponseFormat(Weather, 'weather'),
  });
  const weather = completion.choices[0]?.message.parsed; // typed: { city: string; celsius: number; sky: ... } | null
  if (weather != null) log(`parsed: ${weather.city}, ${weather.celsius} C, ${weather.sky}`);

  await client.close();
  await mock.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
