import { defineCatalog, type TieredClientOptions } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';
import type { EvalCaseInput } from '../EvalCase.js';
import { DEMO_MODELS, DEMO_TIERS } from './demoModels.js';
import { replyAs } from './demoReplies.js';
import { DEMO_SCRIPT } from './demoScript.js';

/** A ready demo: client options on the embedded mock, the shipped cases, the judge; `close()` when done. */
export interface EvalDemo {
  /** A catalog of three tiers (`economy` `mini`, `warm` `mid`, `hot` `max`) on one mock provider. */
  readonly options: TieredClientOptions;
  /** Twelve support-desk cases: checks of every kind, judged ones, two without `expected`. */
  readonly cases: readonly EvalCaseInput[];
  /** The judge to evaluate with: `'hot'`, so `max` grades. */
  readonly judge: string;
  /** Stops the mock provider (the caller closes the clients it made). */
  close(): Promise<void>;
}

/**
 * Starts the eval demo: a mock provider on loopback whose models answer the shipped cases with
 * scripted answers of known quality (`max` right on all, `mid` on most, `mini` on the easy ones),
 * at different prices, latencies and lengths, and whose `max` also serves as the judge. No key, no
 * network.
 */
export async function startEvalDemo(): Promise<EvalDemo> {
  const mock = await startMockOpenAI({
    models: Object.fromEntries(DEMO_MODELS.map((model) => [model.id, replyAs(model.id, model.latencyMs)])),
  });
  const catalog = defineCatalog({
    providers: { demo: { apiKey: 'demo-no-key-needed', baseURL: mock.url } },
    tiers: DEMO_TIERS,
    models: DEMO_MODELS.map(({ id, tier, inputCostPerMTok, outputCostPerMTok }) => ({
      id,
      provider: 'demo' as const,
      tier,
      inputCostPerMTok,
      outputCostPerMTok,
      contextWindow: 128_000,
    })),
  });
  return {
    options: { catalog },
    cases: DEMO_SCRIPT.map((scripted) => scripted.case),
    judge: 'hot',
    close: () => mock.close(),
  };
}
