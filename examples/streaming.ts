/**
 * Streaming with fallback: the first deployment resets the connection before its first token, so the
 * second one answers, and the loop never notices. Runs on the embedded mock provider:
 *   npx tsx examples/streaming.ts
 */
import { createTieredClient, defineCatalog, StreamInterruptedError } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

export async function main(write: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const story = 'Once upon a time, a request found the cheapest model that could answer it.';
  const us = await startMockOpenAI({ models: { 'fast-model': { fault: 'reset' } } });
  const eu = await startMockOpenAI({ models: { 'fast-model': { content: story, chunkDelayMs: 2 } } });
  const catalog = defineCatalog({
    providers: { us: { apiKey: 'sk-demo-us', baseURL: us.url }, eu: { apiKey: 'sk-demo-eu', baseURL: eu.url } },
    tiers: ['economy'],
    models: [
      { id: 'fast-model', provider: 'us', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      { id: 'fast-model', provider: 'eu', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
    ],
  });
  const client = createTieredClient({ catalog, retry: { retries: 0 } });

  // The drop-in way: the same loop as with openai.
  const stream = await client.chat.completions.create({
    model: 'economy',
    messages: [{ role: 'user', content: 'A story?' }],
    stream: true,
  });
  for await (const chunk of stream) write(chunk.choices[0]?.delta.content ?? '');
  write('\n');

  // The tiered way: text pieces, then the routing result.
  const tiered = client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'Again?' }], stream: true });
  for await (const text of tiered.textStream) write(text);
  const result = await tiered.final();
  write(`\n${result.provider}/${result.model}: ${result.usage.outputTokens} tokens, $${result.costUsd.toFixed(8)}\n`);

  // A failure after the first token is never hidden: the text so far comes with the error.
  eu.setReply('fast-model', { content: story, cutAfterChunks: 3 });
  try {
    for await (const text of client.tieredChat({ model: 'economy', messages: [{ role: 'user', content: 'Once more?' }], stream: true })
      .textStream) {
      void text;
    }
  } catch (error) {
    if (StreamInterruptedError.isInstance(error)) write(`interrupted after: "${error.partialText}"\n`);
  }

  await client.close();
  await Promise.all([us.close(), eu.close()]);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
