import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { Call } from '../call/Call.js';
import { addUsd, costOf } from '../catalog/costOf.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { Judge } from '../resilience/FallbackChain.js';
import { judgeAnswer } from '../routing/judgeAnswer.js';
import type { RateLimiter } from '../limits/RateLimiter.js';
import { usageOrEstimate } from '../telemetry/price.js';

/**
 * Quality escalation for one call: judges each answer (empty, cut off, not the JSON asked for...);
 * a poor one sends the call up a tier. Poor answers left behind were billed all the same: their
 * cost is added to the answer served.
 */
export class QualityEscalation {
  readonly #poor: { readonly completion: ChatCompletion; readonly live: LiveDeployment }[] = [];

  constructor(
    private readonly call: Call,
    private readonly rateLimiter: RateLimiter,
  ) {}

  /** The judge handed to the fallback stage. */
  readonly judge: Judge<ChatCompletion> = (completion, live) => {
    const verdict = judgeAnswer(completion, this.call.params.response_format);
    if (verdict === undefined) return undefined;
    this.#poor.push({ completion, live });
    // Its deployment's tokens are settled now: the next deployment's grant takes the call's place.
    const { model, provider } = live.deployment;
    this.rateLimiter.settle(this.call, { model: model.id, provider, usage: usageOrEstimate(this.call, completion) });
    return verdict;
  };

  /** What the poor answers other than `served` cost. */
  billedBesides(served: ChatCompletion): number {
    let usd = 0;
    for (const { completion, live } of this.#poor)
      if (completion !== served) usd = addUsd(usd, costOf(usageOrEstimate(this.call, completion), live.deployment.model));
    return usd;
  }
}
