import { ClientClosedError } from '../errors/ClientClosedError.js';
import { checkOptions, checkParams } from './checkRequest.js';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { costOf } from '../catalog/costOf.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { fitCandidates } from '../routing/fitCandidates.js';
import { judgeAnswer, type PoorAnswer } from '../routing/judgeAnswer.js';
import { route } from '../routing/route.js';
import type { Admission } from '../budget/SpendBudget.js';
import { tryCandidates } from '../resilience/tryCandidates.js';
import type { Lead } from '../cache/ResponseCache.js';
import { account, accountHit, price, reportFailure, usageOrEstimate } from '../telemetry/account.js';
import { withinScope } from '../resilience/withinScope.js';
import { Call } from './Call.js';
import type { Engine } from './Engine.js';
import { requestOnce } from './requestOnce.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from './requests.js';

/*
 * The request pipeline. Every call goes through these stages, in this order:
 *
 *   1. open      give the call an id and an abort scope (caller's signal + deadline); `request:start`
 *   1b. cache    a stored answer, or that of an identical call in flight; else this call leads
 *                                                                                  cache/ResponseCache.ts
 *   2. route     the model field (tier, model id, 'auto') -> deployments to try   routing/route.ts
 *   2b. fit      leave out deployments lacking a capability the request uses, or too
 *                small for its prompt and output                                  routing/fitCandidates.ts
 *   3. fallback  walk the candidates, skipping cooling ones and open breakers     resilience/tryCandidates.ts
 *   4. retry     per deployment, p-retry, with backoff or the provider's retry-after
 *   5. breaker   per try, the deployment's opossum breaker                        resilience/LiveDeployment.ts
 *   6. call      one upstream request under its own time limit                    client/requestOnce.ts
 *                (streams: up to the first token, then chunks as they come)     streaming/
 *   7. account   usage and cost; `request:end`, or `request:error`                telemetry/account.ts
 */

const noop = (): void => {};
const noPoorAnswers: readonly PoorAnswerHeld[] = [];

/** A non-streaming call through the pipeline. */
export async function runChat(
  engine: Engine,
  params: TieredChatParams,
  options: TieredRequestOptions | undefined,
): Promise<TieredChatResult> {
  const call = open(engine, params, options);
  let lead: Lead | undefined;
  let admission: Admission | undefined;
  try {
    if (engine.cache !== undefined && call.cacheKey !== undefined) {
      const found = await engine.cache.begin(call, call.cacheKey);
      if ('answer' in found) return accountHit(engine, call, found.answer);
      lead = found.lead;
    }
    let candidates = fitCandidates(engine, call, await route(engine, call));
    if (engine.budget !== undefined) {
      admission = await engine.budget.admit(call, candidates, cheapestFor(engine, call));
      candidates = admission.candidates;
    }
    // Made only with quality escalation: the common call has no judge and no list of poor answers.
    const poor = (options?.qualityEscalation ?? engine.settings.qualityEscalation) ? ([] as PoorAnswerHeld[]) : undefined;
    const judge = poor === undefined ? undefined : judgeFor(params, poor);
    const { live, value: completion } = await tryCandidates(engine, call, candidates, requestOnce, judge);
    // Poor answers left behind on the way up were billed all the same.
    let extraUsd = 0;
    for (const answer of poor ?? noPoorAnswers)
      if (answer.completion !== completion) extraUsd += costOf(usageOrEstimate(call, answer.completion), answer.live.deployment.model);
    const answer = price(call, live, completion, extraUsd);
    admission?.settle(answer.costUsd);
    const written = lead?.settle(answer);
    // A shared store holds the answer once the call resolves: another machine asking next finds it.
    // The caller's abort or the deadline ends this wait, not the call: the answer is in hand.
    if (written !== undefined) await withinScope(call, Number.POSITIVE_INFINITY, () => written).catch(noop);
    return account(engine, call, answer);
  } catch (error) {
    lead?.fail(error);
    admission?.settle(0);
    reportFailure(engine, call, error);
    throw error;
  } finally {
    call.scope.dispose();
  }
}

/**
 * The candidates of a call downgraded for budget: the cheapest tier's own deployments (no fallback
 * up: that would spend at full price, unreserved), or undefined when they cannot serve it.
 */
export function cheapestFor(engine: Engine, call: Call): () => readonly LiveDeployment[] | undefined {
  return () => {
    const cheapest = engine.routes.get(engine.settings.catalog.tiers[0]!)?.groups[0];
    if (cheapest === undefined) return undefined;
    try {
      return fitCandidates(engine, call, cheapest);
    } catch {
      return undefined;
    }
  };
}

/** A poor answer the call went past, kept to be billed. */
interface PoorAnswerHeld {
  readonly completion: ChatCompletion;
  readonly live: LiveDeployment;
}

/** A judge of answers for quality escalation that keeps the poor ones, to bill them. */
function judgeFor(params: TieredChatParams, poor: PoorAnswerHeld[]) {
  return (completion: ChatCompletion, live: LiveDeployment): PoorAnswer | undefined => {
    const verdict = judgeAnswer(completion, params.response_format);
    if (verdict !== undefined) poor.push({ completion, live });
    return verdict;
  };
}

/** Stage 1: checks the call's arguments, starts its clock and scope, and emits `request:start`. */
export function open(engine: Engine, params: TieredChatParams, options: TieredRequestOptions | undefined): Call {
  if (engine.closed) throw new ClientClosedError();
  checkParams(params);
  if (options !== undefined) checkOptions(options);
  const call = new Call(params, options ?? {}, engine.settings);
  const { telemetry } = engine;
  if (telemetry.wants('request:start')) {
    telemetry.emit('request:start', {
      requestId: call.requestId,
      requested: call.requested,
      stream: call.stream,
      metadata: options?.metadata,
      ...(engine.settings.captureContent ? { messages: params.messages } : {}),
    });
  }
  return call;
}
