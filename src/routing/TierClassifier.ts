import { LRUCache } from 'lru-cache';
import { cacheKey } from '../cache/cacheKey.js';
import type { Call } from '../call/Call.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { withinScope } from '../call/withinScope.js';
import { priceSideCall } from '../telemetry/price.js';
import { classifierMessages, parseClassifierAnswer } from './classifierPrompt.js';
import { inRegions, regionList } from '../catalog/regionList.js';
import type { RateLimiter } from '../limits/RateLimiter.js';
import { SideRequest } from '../limits/SideRequest.js';

/** How long the classifier rests after a failure. */
const restMs = 30_000;

/** The classifier's settings, defaults filled in. */
export interface ClassifierSettings {
  /** The deployment that grades requests (a model of the cheapest tier by default). */
  readonly grader: LiveDeployment;
  readonly tiers: readonly string[];
  readonly timeoutMs: number;
  readonly maxEntries: number;
  /** The client's limiter: the grader's calls count under its `limits`, as a caller's would. */
  readonly limiter: RateLimiter;
}

/** A tier the classifier chose, or why it could not choose one. */
export type Grade = { readonly tier: string; readonly reason: string } | { readonly tier?: undefined; readonly failure: string };

/**
 * Routes `'auto'` requests by asking a cheap model which tier a request needs. Its answers are
 * remembered (the same conversation gets the same tier without a second question); a slow, failing
 * or garbled answer yields a `failure`, and the caller falls back on the heuristic. Each answer it
 * got, garbled or not, is priced on the call (`call.routing`): it is part of what the call cost.
 * A call with its own `region` that leaves out the grader's is never graded (the heuristic decides).
 * Nor is one while the grader is at its `limits` or paused by its provider: grading counts one
 * request and its tokens there, like a caller's request, and never waits for room.
 */
export class TierClassifier {
  private readonly answers: LRUCache<string, string>;
  /** After a failure, the classifier rests: a dead grader must not slow every 'auto' call. */
  private restingUntil = 0;

  constructor(private readonly settings: ClassifierSettings) {
    this.answers = new LRUCache({ max: settings.maxEntries });
  }

  async grade(call: Call): Promise<Grade> {
    const { grader, tiers, timeoutMs } = this.settings;
    const key = cacheKey('classifier', '', { messages: call.params.messages });
    const known = this.answers.get(key);
    if (known !== undefined) return { tier: known, reason: 'graded earlier by the classifier' };
    // A call kept to some regions is never sent to a grader elsewhere: its prompt stays where it was asked to.
    const { region } = call.options;
    if (region !== undefined && !inRegions(grader.deployment, regionList(region)))
      return { failure: "the classifier model is outside the call's region" };
    const now = Date.now();
    if (grader.rejecting || grader.coolingDown(now) || now < this.restingUntil) return { failure: 'the classifier model is unavailable' };
    const { id } = grader.deployment.model;
    const messages = classifierMessages(call.params, tiers);
    const params = { model: id, messages, temperature: 0, max_completion_tokens: 16 };
    // A grader without limits nor a pause pays this branch; one at its limit is not asked (and does not rest: it is busy, not failing).
    const rate = grader.rate;
    const side = rate === undefined ? undefined : await SideRequest.enter(this.settings.limiter, rate, call.requestId, params);
    if (side === false) return { failure: "the classifier's model is at its rate limit" };
    let spent;
    try {
      // Through the grader's breaker (its failures count), under the call's scope (its deadline and abort cut the body too).
      const completion = await withinScope(call, timeoutMs, (signal) =>
        grader.fire(() => grader.client.chat.completions.create(params, { signal, maxRetries: 0 })),
      );
      // Billed whether or not its answer names a tier: priced before it is read.
      spent = call.routing = priceSideCall(grader.deployment, completion, messages);
      const tier = parseClassifierAnswer(completion.choices[0]?.message?.content, tiers);
      if (tier === undefined) return { failure: `the classifier's answer named no tier` };
      this.answers.set(key, tier);
      return { tier, reason: `graded by ${id}` };
    } catch (error) {
      if (call.scope.abortReason !== undefined) throw error;
      this.restingUntil = Date.now() + restMs;
      return { failure: `the classifier failed (${error instanceof Error ? error.name : 'error'})` };
    } finally {
      side?.leave(spent?.usage);
    }
  }
}
