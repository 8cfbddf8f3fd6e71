import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { Call } from '../call/Call.js';
import type { TieredChatResult } from '../call/requests.js';
import { withSideCosts } from '../call/SideCall.js';
import { costOf } from '../catalog/costOf.js';
import { passthroughTier } from '../catalog/passthroughTier.js';
import type { UsageTally } from '../cost/UsageTally.js';
import type { ModelEntry } from '../catalog/types.js';
import type { RecentAnswers } from '../feedback/RecentAnswers.js';
import type { MetricsRecorder } from '../metrics/MetricsRecorder.js';
import type { Redactor } from './Redactor.js';
import type { Telemetry } from './Telemetry.js';

/** What the ledger needs of the client. */
export interface LedgerParts {
  readonly metrics: MetricsRecorder;
  /** Answered requests, for `client.feedback()`. */
  readonly answers: RecentAnswers;
  readonly telemetry: Telemetry;
  readonly redactor: Redactor;
  /** The model every call's cost is compared with (`metrics.baselineModel`). */
  readonly baseline: ModelEntry;
  /** `telemetry.captureContent`: prompts and answers in events. */
  readonly captureContent: boolean;
  /** The usage behind `client.costReport()`. */
  readonly tally: UsageTally;
}

const knownFinishReasons: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

/**
 * The account stage, the last of every call: counts it in `client.metrics()` (its routing and
 * embedding calls under their own models) and in `client.costReport()`, remembers an answered call
 * for `client.feedback()`, and emits its last event, `request:end` with what it cost, or
 * `request:error` with what was billed all the same.
 */
export class Ledger {
  constructor(private readonly parts: LedgerParts) {}

  /** A live answer: its result, counted, and `request:end`. */
  answered(call: Call, answer: CachedAnswer, ttftMs?: number): TieredChatResult {
    return this.#finish(call, answer, false, ttftMs);
  }

  /** A call the cache answered: it cost only the embedding it took to find it (an exact hit: nothing), and saved what the answer once cost. */
  hit(call: Call, answer: CachedAnswer, ttftMs?: number): TieredChatResult {
    return this.#finish(call, answer, true, ttftMs);
  }

  /**
   * A failed call: counted, and `request:error`. `costUsd` is what a provider was paid all the same
   * (an interrupted stream's text, estimated): reported, never a silent zero.
   */
  failed(call: Call, error: unknown, billedUsd = 0): void {
    const { metrics, telemetry, redactor } = this.parts;
    const costUsd = withSideCosts(billedUsd, call);
    // The last place a failure passes before the caller and the listeners see it: scrubbed here, whatever path it took.
    redactor.error(error);
    const latencyMs = call.elapsedMs(); // one reading, for the metrics and the event alike
    const last = call.attempts.at(-1);
    metrics.record({
      placement: last === undefined ? undefined : { tier: last.tier, model: last.model, provider: last.provider },
      operation: call.operation,
      ok: false,
      cached: false,
      latencyMs,
      usage: undefined,
      costUsd: billedUsd,
      baselineUsd: billedUsd,
      attempts: call.attempts,
    });
    this.#recordSides(call);
    if (!telemetry.wants('request:error')) return;
    telemetry.emit('request:error', {
      requestId: call.requestId,
      operation: call.operation,
      error,
      latencyMs,
      attempts: call.attempts,
      costUsd,
    });
  }

  #finish(call: Call, answer: CachedAnswer, cached: boolean, ttftMs: number | undefined): TieredChatResult {
    const answerUsd = cached ? 0 : answer.costUsd;
    // Built whole, in one shape for live and cached results alike: spreading a partial result into a
    // larger one was the costliest line of the hot path.
    const result: TieredChatResult = {
      completion: answer.completion,
      text: call.kind.text(answer.completion),
      model: answer.model,
      provider: answer.provider,
      tier: answer.tier,
      cached,
      costUsd: withSideCosts(answerUsd, call),
      savedUsd: cached ? answer.costUsd : 0,
      usage: answer.usage,
      usageEstimated: answer.usageEstimated,
      latencyMs: call.elapsedMs(),
      attempts: call.attempts,
      requestId: call.requestId,
    };
    const repriced = call.operation === 'chat' && answer.tier !== passthroughTier;
    this.parts.metrics.record({
      placement: result,
      operation: call.operation,
      ok: true,
      cached,
      latencyMs: result.latencyMs,
      ttftMs,
      usage: result.usage,
      costUsd: answerUsd,
      cacheSavedUsd: result.savedUsd,
      // The baseline is a chat model: another kind's tokens priced on it would be savings no model could
      // have made; a passthrough model has no price to compare.
      baselineUsd: repriced ? costOf(result.usage, this.parts.baseline) : answer.costUsd,
      attempts: call.attempts,
    });
    this.parts.answers.remember(call.requestId, result, call.operation);
    this.#recordSides(call);
    // The cost report reprices chat calls on the catalog's chat models: other kinds, and unpriced models, stay out of it.
    if (!cached && repriced) this.parts.tally.answered(result.usage, answerUsd);
    this.#reportEnd(call, result, answerUsd, ttftMs);
    return result;
  }

  /** The call's routing and embedding calls, each under its own model; and in the cost report. */
  #recordSides(call: Call): void {
    const { routing, embedding } = call;
    if (routing === undefined && embedding === undefined) return;
    for (const [side, operation] of [
      [routing, 'chat'],
      [embedding, 'embeddings'],
    ] as const) {
      if (side === undefined) continue;
      const { tier, provider, model } = side.deployment;
      this.parts.metrics.recordSide({ tier, provider, model: model.id }, operation, side.usage, side.costUsd);
    }
    this.parts.tally.spent(call);
  }

  /** `request:end`, the last event of a successful call, built only when someone listens. */
  #reportEnd(call: Call, result: TieredChatResult, answerUsd: number, ttftMs: number | undefined): void {
    const { telemetry, captureContent } = this.parts;
    if (!telemetry.wants('request:end')) return;
    telemetry.emit('request:end', {
      requestId: call.requestId,
      operation: call.operation,
      model: result.model,
      provider: result.provider,
      tier: result.tier,
      latencyMs: result.latencyMs,
      ...(ttftMs === undefined ? {} : { ttftMs }),
      usage: result.usage,
      costUsd: result.costUsd,
      costBreakdown: {
        answerUsd,
        routingUsd: call.routing?.costUsd ?? 0,
        embeddingUsd: call.embedding?.costUsd ?? 0,
      },
      cached: result.cached,
      savedUsd: result.savedUsd,
      stream: call.stream,
      attempts: call.attempts,
      usageEstimated: result.usageEstimated,
      finishReasons: call.kind.finishReasons(result.completion).map((reason) => this.#finishReason(reason)),
      ...(captureContent ? { text: result.text } : {}),
    });
  }

  /** A finish reason for an event: the API's own as they are; anything else a provider made up, scrubbed. */
  #finishReason(reason: string): string {
    // Typed as a string, but a provider may send null: passed on as it came.
    return typeof reason !== 'string' || knownFinishReasons.has(reason) ? reason : this.parts.redactor.text(reason);
  }
}
