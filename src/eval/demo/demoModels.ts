/** The demo's three models, cheapest first: one per tier, on one mock provider. */
export const DEMO_MODELS = [
  { id: 'mini', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, latencyMs: 4 },
  { id: 'mid', tier: 'warm', inputCostPerMTok: 0.4, outputCostPerMTok: 1.6, latencyMs: 8 },
  { id: 'max', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, latencyMs: 16 },
] as const;

/** A demo model id: `'mini'`, `'mid'` or `'max'`. */
export type DemoModelId = (typeof DEMO_MODELS)[number]['id'];

/** The demo's tiers, cheapest first. */
export const DEMO_TIERS = ['economy', 'warm', 'hot'] as const;
