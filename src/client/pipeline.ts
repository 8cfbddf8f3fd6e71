import type { Admission } from '../budget/SpendBudget.js';
import type { CacheFill } from '../cache/CacheFill.js';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { Call } from '../call/Call.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from '../call/requests.js';
import { withinScope } from '../call/withinScope.js';
import type { ModelEntry } from '../catalog/types.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { costOf } from '../catalog/costOf.js';
import { sideCostUsd, withSideCosts } from '../call/SideCall.js';
import { estimatedUsage, priceChat } from '../telemetry/price.js';
import { openCall } from './openCall.js';
import { QualityEscalation } from './qualityEscalation.js';
import type { RequestKind } from '../call/RequestKind.js';
import type { Send } from '../resilience/DeploymentAttempts.js';
import type { Stages } from './Stages.js';

/*
 * The request pipeline. Every call, streaming or not, goes through these stages, in this order:
 *
 *   open      checks the arguments, resolves the call's options, starts its clock, abort
 *             scope and deadline; `request:start`                                openCall.ts
 *   prepare   cache     a stored answer, or that of an identical call in flight; else this
 *                       call fills the cache                                   cache/ResponseCache.ts
 *             route     the model field (tier, model id, 'auto') -> deployments, within
 *                       the call's own fallback, providers and region (checked
 *                       first)                                                  routing/Routing.ts
 *                       with affinity, the conversation's deployment first     routing/Affinity.ts
 *                       (embeddings, the Responses API: their own routes)      routing/KindRoutes.ts
 *             fit       less those lacking a capability the request uses, or too small for it
 *             budget    reserve the most the call may cost; over the limit, refuse or downgrade
 *                                                                                 budget/SpendBudget.ts
 *   fallback  walk the candidates, skipping cooling ones and open breakers;
 *             with quality escalation, a poor answer goes up a tier      resilience/FallbackChain.ts
 *     limits  per deployment with `limits` or a provider's pause (and per retry): a slot, then
 *             the rpm/tpm window; no room, the deployment is skipped      limits/RateLimiter.ts
 *     retry   per deployment, p-retry, with backoff or the provider's retry-after
 *                                                                      resilience/DeploymentAttempts.ts
 *     breaker per attempt, the deployment's opossum breaker                 resilience/LiveDeployment.ts
 *     send    one upstream request under the attempt's time limit: the request kind's own step
 *             (attemptSender.ts; a stream up to its first token: streaming/UpstreamStream.ts)
 *   affinity  the deployment that answered goes first in its conversation's next call
 *             (not after a cache hit)                                           routing/Affinity.ts
 *   price     usage (reported or estimated) at the catalog's prices: the kind's own step
 *             (telemetry/price.ts; runEmbeddings.ts, priceResponse.ts)
 *   settle    the budget's real cost (routing and embedding calls included), the rate limits'
 *             tokens corrected to the usage, the cache fill
 *             (stored, shared with followers), then the ledger: metrics and `request:end`; on
 *             failure, `request:error`                                          telemetry/Ledger.ts
 *             then, with the `shadow` option, a chat answer is offered for shadow sampling; a drawn
 *             one is re-asked after the caller has it, outside these stages   quality/ShadowSampler.ts
 *
 * A stream runs the same stages (see RoutedStream.ts): it settles when its last chunk or event is read.
 */

/** What `prepare` found: an answer the cache had, or the candidates and the duties to settle. */
export type Prepared = { readonly hit: CachedAnswer } | Held;

/** The duties a call holds until it settles: a cache to fill, a budget reservation. */
export interface Held {
  readonly hit?: undefined;
  readonly candidates: readonly LiveDeployment[];
  readonly fill: CacheFill | undefined;
  readonly admission: Admission | undefined;
}

const noop = (): void => {};

/** A non-streaming chat call, through every stage. */
export async function runChat(
  stages: Stages,
  params: TieredChatParams,
  options: TieredRequestOptions | undefined,
): Promise<TieredChatResult> {
  const call = openCall(stages, params, options);
  let held: Held | undefined;
  try {
    const preparing = prepare(stages, call, true);
    const prepared = preparing instanceof Promise ? await preparing : preparing;
    if (prepared.hit !== undefined) return settleHit(stages, call, prepared.hit);
    held = prepared;
    // Made only with quality escalation: the common call has no judge.
    const escalation =
      (options?.qualityEscalation ?? stages.settings.qualityEscalation) ? new QualityEscalation(call, stages.rateLimiter) : undefined;
    const { live, value } = await stages.fallback.run(call, prepared.candidates, stages.sendCompletion, escalation?.judge);
    stages.affinity?.remember(call.conversation, live, call.autoTier);
    const answer = priceChat(call, live.deployment, value, escalation?.billedBesides(value) ?? 0);
    const result = settleStored(stages, call, prepared, answer);
    return result instanceof Promise ? await result : result;
  } catch (error) {
    fail(stages, call, held, error);
    throw error;
  } finally {
    call.scope.dispose();
  }
}

/** A kind's price step: the answer `live` gave, priced, and whatever the kind keeps of it (shared functions, made once). */
export type PriceStep<B> = (stages: Stages, call: Call, live: LiveDeployment, body: B) => CachedAnswer;

/**
 * A non-streaming call of another kind than chat (embeddings, the Responses API), through the same
 * stages with the kind's own route (by its operation), send and price steps.
 */
export async function runRequest<B>(
  stages: Stages,
  params: object,
  options: TieredRequestOptions | undefined,
  kind: RequestKind,
  send: Send<B>,
  price: PriceStep<B>,
): Promise<TieredChatResult> {
  const call = openCall(stages, params as TieredChatParams, options, kind);
  let held: Held | undefined;
  try {
    const preparing = prepare(stages, call, true);
    const prepared = preparing instanceof Promise ? await preparing : preparing;
    if (prepared.hit !== undefined) return settleHit(stages, call, prepared.hit);
    held = prepared;
    const { live, value } = await stages.fallback.run(call, prepared.candidates, send);
    const result = settleStored(stages, call, prepared, price(stages, call, live, value));
    return result instanceof Promise ? await result : result;
  } catch (error) {
    fail(stages, call, held, error);
    throw error;
  } finally {
    call.scope.dispose();
  }
}

/**
 * The prepare stages, shared by every request kind: cache, route, fit, budget. Synchronous when no
 * stage has to wait (no cache, a named tier, no budget): the common call takes no extra turns.
 */
export function prepare(stages: Stages, call: Call, canLead: boolean): Prepared | Promise<Prepared> {
  const { cache } = stages;
  // A call's own constraints that leave it no deployment fail it before the cache is read or the budget reserved.
  const { fallback, providers, region } = call.options;
  if (fallback !== undefined || providers !== undefined || region !== undefined) stages.routing.checkConstraints(call);
  if (cache === undefined || call.cacheKey === undefined) return route(stages, call, undefined);
  // A stream leads no one (canLead false): its reader sets its pace, and identical calls must not wait on it.
  return cache.begin(call, call.cacheKey, canLead).then((found) => {
    if (!('answer' in found)) return route(stages, call, found.fill);
    return { hit: found.answer };
  });
}

/** Route, fit and budget; a failure here fails the cache fill too (its followers get the error). */
function route(stages: Stages, call: Call, fill: CacheFill | undefined): Held | Promise<Held> {
  try {
    const routed = stages.routing.route(call);
    if (routed instanceof Promise || stages.budget !== undefined) return admit(stages, call, fill, routed).catch(failFill(fill));
    return { candidates: stages.routing.fit(call, routed), fill, admission: undefined };
  } catch (error) {
    fill?.fail(error);
    throw error;
  }
}

async function admit(
  stages: Stages,
  call: Call,
  fill: CacheFill | undefined,
  routed: readonly LiveDeployment[] | Promise<readonly LiveDeployment[]>,
): Promise<Held> {
  const { routing, budget } = stages;
  const candidates = routing.fit(call, await routed);
  if (budget === undefined) return { candidates, fill, admission: undefined };
  const admission = await budget.admit(call, candidates, () => routing.cheapest(call));
  return { candidates: admission.candidates, fill, admission };
}

function failFill(fill: CacheFill | undefined): (error: unknown) => never {
  return (error) => {
    fill?.fail(error);
    throw error;
  };
}

/**
 * The settle stage of an answered call: the budget's real cost, the cache fill, then the ledger.
 * A stream's cache write lands behind it (its reader has had every chunk; `close()` waits for it).
 */
export function settle(stages: Stages, call: Call, held: Held, answer: CachedAnswer, ttftMs?: number, storable = true): TieredChatResult {
  held.admission?.settle(withSideCosts(answer.costUsd, call));
  stages.rateLimiter.settle(call, answer);
  void held.fill?.settle(answer, storable);
  return offered(stages, call, stages.ledger.answered(call, answer, ttftMs));
}

/**
 * As {@link settle}, resolving once a shared store holds the answer: another machine asking next
 * finds it. The caller's abort or the deadline ends this wait, not the call: the answer is in hand.
 */
export function settleStored(stages: Stages, call: Call, held: Held, answer: CachedAnswer): TieredChatResult | Promise<TieredChatResult> {
  held.admission?.settle(withSideCosts(answer.costUsd, call));
  stages.rateLimiter.settle(call, answer);
  const written = held.fill?.settle(answer);
  if (written === undefined) return offered(stages, call, stages.ledger.answered(call, answer));
  return withinScope(call, Number.POSITIVE_INFINITY, () => written)
    .catch(noop)
    .then(() => offered(stages, call, stages.ledger.answered(call, answer)));
}

/**
 * The settle stage of a call the cache answered, once its answer is delivered (a stream's replay read
 * to its end). A semantic hit holds no reservation: the embedding that found it is counted after the
 * fact, here and only here; a replay given up before its end is counted by {@link fail} instead.
 */
export function settleHit(stages: Stages, call: Call, answer: CachedAnswer, ttftMs?: number): TieredChatResult {
  stages.budget?.charge(call, sideCostUsd(call));
  return stages.ledger.hit(call, answer, ttftMs);
}

/** An answered call's result, offered for shadow sampling: without the `shadow` option, one branch. */
function offered(stages: Stages, call: Call, result: TieredChatResult): TieredChatResult {
  if (call.kind.operation === 'chat') stages.shadows?.offer(call, result);
  return result;
}

/**
 * The settle stage of a failed call: followers get the error, the budget and the ledger what was
 * billed all the same (an interrupted stream's text so far, estimated), the ledger `request:error`.
 */
export function fail(
  stages: Stages,
  call: Call,
  held: Held | undefined,
  error: unknown,
  billed?: { readonly model: ModelEntry; readonly text: string },
): void {
  const billedUsd = billed === undefined ? 0 : costOf(estimatedUsage(call, billed.text), billed.model);
  held?.fill?.fail(error);
  // Holding no reservation (failed before its budget stage, or a cache hit's replay given up): its routing and embedding calls are counted all the same.
  if (held?.admission === undefined) stages.budget?.charge(call, sideCostUsd(call));
  else held.admission.settle(withSideCosts(billedUsd, call));
  stages.ledger.failed(call, error, billedUsd);
}
