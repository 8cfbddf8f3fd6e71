/**
 * The Responses API through the tiers: a routed `responses.create()` that falls back, a follow-up
 * with `previous_response_id` that stays on the deployment holding the conversation, and a stream.
 * Runs on the embedded mock provider:
 *   npx tsx examples/responses.ts
 */
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const us = await startMockOpenAI({ models: { 'smart-model': { content: 'Paris.' } } });
  const eu = await startMockOpenAI({ models: { 'smart-model': { content: 'Paris.' } } });
  const catalog = defineCatalog({
    providers: { us: { apiKey: 'sk-demo-us', baseURL: us.url }, eu: { apiKey: 'sk-demo-eu', baseURL: eu.url } },
    tiers: ['economy', 'warm'],
    models: [
      // Chat only: a Responses request never lands here ('responses' is opt-in).
      { id: 'cheap-model', provider: 'us', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      ...(['us', 'eu'] as const).map((provider) => ({
        id: 'smart-model',
        provider,
        tier: 'warm' as const,
        inputCostPerMTok: 1,
        outputCostPerMTok: 4,
        cachedInputCostPerMTok: 0.25,
        contextWindow: 128_000,
        capabilities: ['tools', 'responses'] as const,
      })),
    ],
  });
  const client = createTieredClient({ catalog, retry: { retries: 0 } });
  client.on('request:end', (e) => log(`  ${e.operation} on ${e.provider}/${e.model}: $${e.costUsd.toFixed(6)}`));

  // us fails once: eu answers, unseen by the caller.
  us.enqueue('smart-model', { status: 503 });
  const first = await client.responses.create({ model: 'warm', input: 'The capital of France?' });
  log(`answer: ${first.output_text}`);

  // us is healthy again and first in the tier, but only eu holds the earlier response: the follow-up goes there.
  eu.setReply('smart-model', { content: 'About 2.1 million people.' });
  const second = await client.responses.create({ model: 'warm', input: 'How many live there?', previous_response_id: first.id });
  log(`follow-up: ${second.output_text}`);

  // A stream: events pass through as they arrive.
  us.setReply('smart-model', { content: 'Streamed, event by event.', chunkChars: 6 });
  const stream = await client.responses.create({ model: 'warm', input: 'Stream something.', stream: true });
  let text = '';
  for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
  log(`streamed: ${text}`);

  await client.close();
  await Promise.all([us.close(), eu.close()]);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
