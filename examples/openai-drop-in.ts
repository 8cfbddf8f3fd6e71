/**
 * The tiered client is an `OpenAI` client: code written for the official client (here a pretend
 * library that takes an `OpenAI` and its own `model: string`) takes it unchanged, and its calls are
 * routed. `defaultProvider` serves what is not routed (`models.list()`, files, batches, ...), and
 * `unknownModels: 'passthrough'` sends a model the catalog does not know to that provider as is.
 * Runs on the embedded mock providers, no API key needed:
 *   npx tsx examples/openai-drop-in.ts
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

/** A pretend third-party library: it knows nothing of tiers, only of the official client. */
async function summarize(openai: OpenAI, text: string, model = 'gpt-4.1-nano'): Promise<string> {
  const params: ChatCompletionCreateParamsNonStreaming = { model, messages: [{ role: 'user', content: `Summarize: ${text}` }] };
  const completion = await openai.chat.completions.create(params);
  return completion.choices[0]?.message.content ?? '';
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const local = await startMockOpenAI({ models: { 'llama-3.1-8b': { content: 'Tiers save money.' } } });
  const openai = await startMockOpenAI({
    models: { 'gpt-4o': {}, 'gpt-4.1-nano': { content: 'Summarized by a model the catalog does not list.' } },
  });
  const catalog = defineCatalog({
    providers: { local: { apiKey: 'sk-demo-local', baseURL: local.url }, openai: { apiKey: 'sk-demo', baseURL: openai.url } },
    tiers: ['economy', 'hot'],
    models: [
      { id: 'llama-3.1-8b', provider: 'local', tier: 'economy', inputCostPerMTok: 0.05, outputCostPerMTok: 0.08, contextWindow: 128_000 },
      { id: 'gpt-4o', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
    ],
  });
  const client = createTieredClient({ catalog, defaultProvider: 'openai', unknownModels: 'passthrough' });
  client.on('request:end', (e) => log(`  ${e.provider}/${e.model} (tier ${e.tier}), $${e.costUsd.toFixed(8)}`));

  log(`instanceof OpenAI: ${client instanceof OpenAI}`);

  // The library's calls are routed: a tier name goes where the catalog says.
  log(`summary: ${await summarize(client, 'A long text about model tiers.', 'economy')}`);

  // A model the catalog does not list goes, unchanged, to defaultProvider (without the option: a ConfigError).
  log(`summary: ${await summarize(client, 'A long text about model tiers.')}`);

  // Resources that are not routed are served by defaultProvider, as its own openai client would.
  const models = await client.models.list();
  log(`models of openai: ${models.data.map((m) => m.id).join(', ')}`);

  await client.close();
  await Promise.all([local.close(), openai.close()]);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
