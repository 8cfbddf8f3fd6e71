import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { SpendBudget } from '../budget/SpendBudget.js';
import { chatKind } from './kinds/chatKind.js';
import { Call, type CallLimits } from '../call/Call.js';
import type { TieredRequestOptions } from '../call/requests.js';
import { FallbackChain } from '../resilience/FallbackChain.js';
import type { AttemptParts, Send } from '../resilience/DeploymentAttempts.js';
import type { Routing } from '../routing/Routing.js';
import type { RateLimiter } from '../limits/RateLimiter.js';
import type { SendSide, SideOutcome, SideRequest } from '../quality/SideRequest.js';
import type { Redactor } from '../telemetry/Redactor.js';
import { priceChat } from '../telemetry/price.js';
import { Telemetry } from '../telemetry/Telemetry.js';

/** What side requests need of the client. */
export interface SideRequestParts {
  readonly routing: Routing;
  readonly budget: SpendBudget | undefined;
  readonly redactor: Redactor;
  readonly retry: AttemptParts['retry'];
  readonly rateLimiter: RateLimiter;
  readonly limits: CallLimits;
  readonly send: Send<ChatCompletion>;
}

const uncached = Object.freeze({ namespace: '', key: undefined });
const noUpstreamOptions = Object.freeze({ maxRetries: 0 });
const noDowngrade = (): undefined => undefined;

/**
 * Requests the client makes on its own behalf (shadow sampling's shadows and judges): the route,
 * fit, budget, fallback and price stages of a call, on the named tier or model only
 * (`fallback: 'none'`) within the sampled call's `providers` and `region`, never cached, never
 * downgraded by the budget (refused instead), and kept out of the callers' books: no
 * `request:start`, no ledger (metrics, `request:end`), and their attempts
 * report to an emitter nobody listens to, so `attempt:*` and `fallback` events stay the callers'.
 * The deployments' breakers and latency windows do see them: they are real traffic.
 */
export function sideRequests(parts: SideRequestParts): SendSide {
  const fallback = new FallbackChain({
    telemetry: new Telemetry(),
    redactor: parts.redactor,
    retry: parts.retry,
    rateLimiter: parts.rateLimiter,
  });
  return async (request: SideRequest): Promise<SideOutcome> => {
    const { of } = request;
    const options: TieredRequestOptions = {
      fallback: 'none',
      qualityEscalation: false,
      cache: false,
      signal: request.signal,
      ...(of.providers === undefined ? {} : { providers: of.providers }),
      ...(of.region === undefined ? {} : { region: of.region }),
      ...(of.cacheNamespace === undefined ? {} : { cacheNamespace: of.cacheNamespace }),
    };
    const call = new Call(request.params, options, parts.limits, uncached, noUpstreamOptions, chatKind);
    try {
      let candidates;
      try {
        candidates = parts.routing.fit(call, await parts.routing.route(call));
      } catch (error) {
        return { ok: false, stage: 'route', error };
      }
      let admission;
      try {
        admission = await parts.budget?.admit(call, candidates, noDowngrade);
      } catch (error) {
        return { ok: false, stage: 'budget', error };
      }
      try {
        const { live, value } = await fallback.run(call, admission?.candidates ?? candidates, parts.send);
        const answer = priceChat(call, live.deployment, value);
        admission?.settle(answer.costUsd);
        parts.rateLimiter.settle(call, answer);
        return { ok: true, text: value.choices[0]?.message?.content ?? '', model: answer.model, costUsd: answer.costUsd };
      } catch (error) {
        // A non-streaming call that failed was billed nothing.
        admission?.settle(0);
        return { ok: false, stage: 'send', error };
      }
    } finally {
      call.scope.dispose();
    }
  };
}
