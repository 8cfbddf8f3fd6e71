import { defineCatalog } from 'tiered-llm';

/** A one-deployment catalog on the mock, so that tiered-llm and the raw client hit the same model. */
export const benchCatalog = (url: string) =>
  defineCatalog({
    providers: { local: { apiKey: 'sk-bench', baseURL: url } },
    tiers: ['economy'],
    models: [
      { id: 'bench-model', provider: 'local', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 128_000 },
    ],
  });

export const messages = [{ role: 'user' as const, content: 'Tell me about benchmarks.' }];
