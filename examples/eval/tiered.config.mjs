// The catalog `tiered-llm eval` runs the cases on: three OpenAI models, cheapest tier first.
// Prices are OpenAI's list prices in USD per million tokens (check https://openai.com/api/pricing
// before trusting a projection: the report's costs are only as right as these numbers).
import process from 'node:process';
import { defineCatalog } from 'tiered-llm';

export default defineCatalog({
  providers: { openai: { apiKey: process.env.OPENAI_API_KEY } },
  tiers: ['economy', 'warm', 'hot'],
  models: [
    {
      id: 'gpt-4o-mini',
      provider: 'openai',
      tier: 'economy',
      inputCostPerMTok: 0.15,
      cachedInputCostPerMTok: 0.075,
      outputCostPerMTok: 0.6,
      contextWindow: 128_000,
    },
    {
      id: 'gpt-4.1-mini',
      provider: 'openai',
      tier: 'warm',
      inputCostPerMTok: 0.4,
      cachedInputCostPerMTok: 0.1,
      outputCostPerMTok: 1.6,
      contextWindow: 1_047_576,
    },
    {
      id: 'gpt-4o',
      provider: 'openai',
      tier: 'hot',
      inputCostPerMTok: 2.5,
      cachedInputCostPerMTok: 1.25,
      outputCostPerMTok: 10,
      contextWindow: 128_000,
    },
  ],
});
