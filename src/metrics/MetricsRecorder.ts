import { toPicoUsd, type TokenUsage } from '../catalog/costOf.js';
import type { Attempt, AttemptErrorCode } from '../call/Attempt.js';
import type { GivenScore } from '../feedback/Feedback.js';
import type { PoorAnswer } from '../routing/judgeAnswer.js';
import type { Operation } from '../call/Operation.js';
import { ScopeIndex, type Placement } from './ScopeIndex.js';
import type { TieredMetrics } from './MetricsEntry.js';
import type { SloSettings } from './resolveSloOptions.js';
import { SloWatch, type SloEvent } from './SloWatch.js';

export type { Placement } from './ScopeIndex.js';

// The codes a poor answer leaves in the audit trail when quality escalation sends its call up a tier.
const poorAnswers: ReadonlySet<AttemptErrorCode> = new Set<PoorAnswer>(['empty_answer', 'content_filtered', 'invalid_json']);

/** One finished call, as the book records it. */
export interface CallRecord {
  readonly placement: Placement | undefined;
  readonly operation: Operation;
  readonly ok: boolean;
  readonly cached: boolean;
  readonly latencyMs: number;
  readonly ttftMs?: number | undefined;
  readonly usage: TokenUsage | undefined;
  readonly costUsd: number;
  /** What a cache hit did not cost (its event's `savedUsd`); 0 for other calls. @default 0 */
  readonly cacheSavedUsd?: number | undefined;
  /** What the same tokens would have cost on the baseline model. */
  readonly baselineUsd: number;
  readonly attempts: readonly Attempt[];
}

/**
 * The numbers behind `client.metrics()`: counts since the client started and latency percentiles
 * over a sliding window, for the client, each tier, model, deployment and operation. Fed directly
 * by the pipeline (no events), in memory that does not grow with traffic.
 */
export class MetricsRecorder {
  private readonly scopes: ScopeIndex;
  private readonly clientWatch: SloWatch | undefined;
  private readonly tierWatches = new Map<string, SloWatch>();

  constructor(
    private readonly windowMs: number,
    private readonly baselineModel: string,
    slo?: SloSettings,
    report: (event: 'slo:breach' | 'slo:recovered', payload: SloEvent) => void = () => {},
  ) {
    this.scopes = new ScopeIndex(windowMs);
    if (slo?.client !== undefined) this.clientWatch = new SloWatch('client', slo.client, windowMs, report);
    for (const [tier, targets] of Object.entries(slo?.tiers ?? {}))
      this.tierWatches.set(tier, new SloWatch(tier, targets, windowMs, report));
  }

  record(call: CallRecord, now = Date.now()): void {
    const costPico = toPicoUsd(call.costUsd);
    const cacheSavedPico = toPicoUsd(call.cacheSavedUsd ?? 0);
    const savedVsBaselinePico = call.usage === undefined ? 0 : toPicoUsd(call.baselineUsd) - costPico;
    let fallbacks = 0;
    let retries = 0;
    let answeredMs = call.latencyMs;
    for (let i = 0; i < call.attempts.length; i++) {
      const attempt = call.attempts[i]!;
      if (attempt.delayMs !== undefined) retries++;
      if (attempt.outcome === 'ok') answeredMs = attempt.latencyMs;
      else if (attempt.errorCode !== undefined && poorAnswers.has(attempt.errorCode))
        for (const stats of this.scopes.of(attempt, call.operation)) stats.escalations++;
      const next = call.attempts[i + 1];
      if (next !== undefined && (next.model !== attempt.model || next.provider !== attempt.provider)) fallbacks++;
    }
    const tokensPerSecond = call.ok && !call.cached ? outputRate(call, answeredMs) : undefined;
    for (const stats of this.scopes.of(call.placement, call.operation)) {
      stats.requests++;
      if (!call.ok) stats.errors++;
      if (call.cached) stats.cacheHits++;
      stats.fallbacks += fallbacks;
      stats.retries += retries;
      stats.costPico += costPico;
      stats.cacheSavedPico += cacheSavedPico;
      stats.savedVsBaselinePico += savedVsBaselinePico;
      if (call.usage !== undefined) {
        stats.inputTokens += call.usage.inputTokens;
        stats.outputTokens += call.usage.outputTokens;
      }
      if (call.ok) stats.latency.record(call.latencyMs, now);
      if (call.ttftMs !== undefined) stats.ttft.record(call.ttftMs, now);
      if (tokensPerSecond !== undefined) stats.outputRate.record(tokensPerSecond, now);
      stats.recent.record(call.ok, now);
    }
    this.judge(call.placement?.tier, now);
  }

  /**
   * A request a call made besides its answer (the classifier's, a `'chat'`; the semantic cache's,
   * an `'embeddings'`): its cost and tokens under its own model's and operation's scopes and the
   * total. Not a call: `requests` and the latencies are the callers'. Spend the baseline model would
   * not have had, so it lowers `savedVsBaselineUsd` by as much.
   */
  recordSide(placement: Placement, operation: Operation, usage: TokenUsage, costUsd: number): void {
    const costPico = toPicoUsd(costUsd);
    for (const stats of this.scopes.of(placement, operation)) {
      stats.costPico += costPico;
      stats.savedVsBaselinePico -= costPico;
      stats.inputTokens += usage.inputTokens;
      stats.outputTokens += usage.outputTokens;
    }
  }

  breakerOpened(placement: Placement): void {
    for (const stats of this.scopes.of(placement, undefined)) stats.breakerOpens++;
  }

  /**
   * A feedback (`client.feedback()`) on `answer` (where it was answered, and its request's
   * operation), given at `given.at`, replacing the one it had, if any: the replaced score also
   * leaves the quality window, if it is still in it.
   */
  feedback(answer: Placement & { readonly operation: Operation }, given: GivenScore, replaced: GivenScore | undefined): void {
    const now = given.at;
    for (const stats of this.scopes.of(answer, answer.operation)) {
      if (replaced === undefined) stats.feedbackCount++;
      else {
        stats.feedbackScoreSum -= replaced.score;
        if (replaced.thumbs !== undefined) stats.thumbs--;
        if (replaced.thumbs === 'up') stats.thumbsUp--;
        stats.scores.remove(replaced.score, replaced.at, now);
      }
      stats.feedbackScoreSum += given.score;
      if (given.thumbs !== undefined) stats.thumbs++;
      if (given.thumbs === 'up') stats.thumbsUp++;
      stats.scores.add(given.score, now);
    }
    this.judge(answer.tier, now);
  }

  /**
   * A shadow score (0 to 1) of an answer of `placement`: how it compared with a pricier model's
   * answer to the same request. For the shadow sampler, which samples chat calls only; counted
   * apart from feedback.
   */
  recordShadow(placement: Placement, score: number, now = Date.now()): void {
    for (const stats of this.scopes.of(placement, 'chat')) {
      stats.shadowCount++;
      stats.shadowScoreSum += score;
      stats.scores.add(score, now);
    }
    this.judge(placement.tier, now);
  }

  snapshot(now = Date.now()): TieredMetrics {
    return {
      ...this.scopes.entries(now),
      windowMs: this.windowMs,
      baselineModel: this.baselineModel,
    };
  }

  // The objectives of the client and of the tier that just got a call or a score.
  private judge(tier: string | undefined, now: number): void {
    this.clientWatch?.check(now, () => this.scopes.total.window(now));
    if (tier !== undefined) this.tierWatches.get(tier)?.check(now, () => this.scopes.tier(tier).window(now));
  }
}

/**
 * Output tokens per second of an answered call: over the time from its first token to its end for a
 * stream, over the answering attempt for a non-streaming call. None without tokens or time.
 */
function outputRate(call: CallRecord, answeredMs: number): number | undefined {
  const tokens = call.usage?.outputTokens ?? 0;
  const ms = call.ttftMs === undefined ? answeredMs : call.latencyMs - call.ttftMs;
  return tokens > 0 && ms > 0 ? (tokens * 1000) / ms : undefined;
}
