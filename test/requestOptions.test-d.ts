import type OpenAI from 'openai';
import { expectTypeOf, test } from 'vitest';
import type { RunnerOptions } from 'openai/lib/AbstractChatCompletionRunner';
import type { openaiHelperOptionKeys, openaiRequestOptionKeys } from '../src/client/checkRequest.js';
import { createTieredClient, defineCatalog, type TieredRequestOptions } from '../src/index.js';

// Per-call keys that are neither ours nor openai's are refused at run time: the list of openai's must
// follow the installed release, or a new openai option would be refused (or a removed one accepted).
test("the per-call keys taken as openai's are exactly its RequestOptions", () => {
  expectTypeOf<(typeof openaiRequestOptionKeys)[number]>().toEqualTypeOf<keyof OpenAI.RequestOptions>();
});

test("the per-call keys taken from openai's helpers are exactly what its RunnerOptions add", () => {
  expectTypeOf<(typeof openaiHelperOptionKeys)[number]>().toEqualTypeOf<Exclude<keyof RunnerOptions, keyof OpenAI.RequestOptions>>();
});

test('a region per call, one or a list, for every request kind; the client takes a preference and regions.only', () => {
  const catalog = defineCatalog({
    providers: { eu: { apiKey: 'sk-test' } },
    tiers: ['economy'],
    models: [{ id: 'm', provider: 'eu', tier: 'economy', region: 'eu-west', inputCostPerMTok: 1, outputCostPerMTok: 1, contextWindow: 1 }],
  });
  const client = createTieredClient({ catalog, region: ['eu-west', 'eu-central'], regions: { only: ['eu-west', 'eu-central'] } });
  expectTypeOf<TieredRequestOptions['region']>().toEqualTypeOf<string | readonly string[] | undefined>();
  void client.tieredChat({ model: 'economy', messages: [] }, { region: 'eu-west' });
  void client.chat.completions.create({ model: 'economy', messages: [] }, { region: ['eu-west', 'eu-central'] as const });
  void client.embeddings.create({ model: 'm', input: 'x' }, { region: 'eu-west' });
  void client.responses.create({ model: 'economy', input: 'x' }, { region: ['eu-west'] });
  // @ts-expect-error a region is a string
  void client.tieredChat({ model: 'economy', messages: [] }, { region: 1 });
  // @ts-expect-error regions takes only
  createTieredClient({ catalog, regions: ['eu-west'] });
});
