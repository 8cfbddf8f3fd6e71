import { fromPicoUsd, toPicoUsd, type TokenUsage } from '../catalog/costOf.js';
import type { Attempt } from '../resilience/Attempt.js';
import type { MetricsEntry, TieredMetrics } from './MetricsEntry.js';
import type { SloSettings } from './resolveSloOptions.js';
import { SloWatch, type SloEvent } from './SloWatch.js';
import { WindowedCounts } from './WindowedCounts.js';
import { WindowedHistogram, type Percentiles } from './WindowedHistogram.js';

/** One scope's running counts and latency windows. Money in whole pico-dollars, so sums are exact. */
class Tally {
  requests = 0;
  errors = 0;
  inputTokens = 0;
  outputTokens = 0;
  costPico = 0;
  cacheSavedPico = 0;
  savedVsBaselinePico = 0;
  cacheHits = 0;
  fallbacks = 0;
  retries = 0;
  breakerOpens = 0;
  readonly latency: WindowedHistogram;
  readonly ttft: WindowedHistogram;
  /** Calls and errors within the window, for error-rate objectives. */
  readonly recent: WindowedCounts;

  constructor(windowMs: number) {
    this.latency = new WindowedHistogram(windowMs);
    this.ttft = new WindowedHistogram(windowMs);
    this.recent = new WindowedCounts(windowMs);
  }

  /** What an objective is judged on, over the window ending `now`. */
  window(now: number): { latency: Percentiles; requests: number; errors: number } {
    return { latency: this.latency.percentiles(now), ...this.recent.totals(now) };
  }

  entry(now: number): MetricsEntry {
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests === 0 ? 0 : this.errors / this.requests,
      latencyMs: this.latency.percentiles(now),
      ttftMs: this.ttft.percentiles(now),
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: fromPicoUsd(this.costPico),
      cacheSavedUsd: fromPicoUsd(this.cacheSavedPico),
      savedVsBaselineUsd: fromPicoUsd(this.savedVsBaselinePico),
      cacheHits: this.cacheHits,
      cacheHitRate: this.requests === 0 ? 0 : this.cacheHits / this.requests,
      fallbacks: this.fallbacks,
      retries: this.retries,
      breakerOpens: this.breakerOpens,
    };
  }
}

/** Where a call ended: the deployment that answered (or was tried last). */
export interface Landing {
  readonly tier: string;
  readonly model: string;
  readonly provider: string;
}

/** One finished call, as the book records it. */
export interface CallRecord {
  readonly landing: Landing | undefined;
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
 * over a sliding window, for the client, each tier, model and deployment. Fed directly by the
 * pipeline (no events), in memory that does not grow with traffic.
 */
export class MetricsBook {
  private readonly total: Tally;
  private readonly tiers = new Map<string, Tally>();
  private readonly models = new Map<string, Tally>();
  private readonly deployments = new Map<string, Tally>();
  private readonly totalOnly: readonly Tally[];
  /** The four scopes of a landing, by tier, provider and model. */
  private readonly groups = new Map<string, Map<string, Map<string, readonly Tally[]>>>();
  private readonly clientWatch: SloWatch | undefined;
  private readonly tierWatches = new Map<string, SloWatch>();

  constructor(
    private readonly windowMs: number,
    private readonly baselineModel: string,
    slo?: SloSettings,
    report: (event: 'slo:breach' | 'slo:recovered', payload: SloEvent) => void = () => {},
  ) {
    this.total = new Tally(windowMs);
    this.totalOnly = [this.total];
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
    for (let i = 0; i < call.attempts.length; i++) {
      const attempt = call.attempts[i]!;
      if (attempt.delayMs !== undefined) retries++;
      const next = call.attempts[i + 1];
      if (next !== undefined && (next.model !== attempt.model || next.provider !== attempt.provider)) fallbacks++;
    }
    for (const tally of this.talliesOf(call.landing)) {
      tally.requests++;
      if (!call.ok) tally.errors++;
      if (call.cached) tally.cacheHits++;
      tally.fallbacks += fallbacks;
      tally.retries += retries;
      tally.costPico += costPico;
      tally.cacheSavedPico += cacheSavedPico;
      tally.savedVsBaselinePico += savedVsBaselinePico;
      if (call.usage !== undefined) {
        tally.inputTokens += call.usage.inputTokens;
        tally.outputTokens += call.usage.outputTokens;
      }
      if (call.ok) tally.latency.record(call.latencyMs, now);
      if (call.ttftMs !== undefined) tally.ttft.record(call.ttftMs, now);
      tally.recent.record(call.ok, now);
    }
    this.clientWatch?.check(now, () => this.total.window(now));
    const tier = call.landing?.tier;
    if (tier !== undefined) this.tierWatches.get(tier)?.check(now, () => this.tally(this.tiers, tier).window(now));
  }

  breakerOpened(landing: Landing): void {
    for (const tally of this.talliesOf(landing)) tally.breakerOpens++;
  }

  snapshot(now = Date.now()): TieredMetrics {
    const entries = (map: Map<string, Tally>): Record<string, MetricsEntry> =>
      Object.fromEntries([...map].map(([key, tally]) => [key, tally.entry(now)]));
    return {
      total: this.total.entry(now),
      byTier: entries(this.tiers),
      byModel: entries(this.models),
      byDeployment: entries(this.deployments),
      windowMs: this.windowMs,
      baselineModel: this.baselineModel,
    };
  }

  private talliesOf(landing: Landing | undefined): readonly Tally[] {
    if (landing === undefined) return this.totalOnly;
    // Every call looks its scopes up: by nested maps, with no key to build.
    let byProvider = this.groups.get(landing.tier);
    if (byProvider === undefined) this.groups.set(landing.tier, (byProvider = new Map()));
    let byModel = byProvider.get(landing.provider);
    if (byModel === undefined) byProvider.set(landing.provider, (byModel = new Map()));
    let group = byModel.get(landing.model);
    if (group === undefined)
      byModel.set(
        landing.model,
        (group = [
          this.total,
          this.tally(this.tiers, landing.tier),
          this.tally(this.models, landing.model),
          this.tally(this.deployments, `${landing.provider}/${landing.model}`),
        ]),
      );
    return group;
  }

  private tally(map: Map<string, Tally>, key: string): Tally {
    let tally = map.get(key);
    if (tally === undefined) map.set(key, (tally = new Tally(this.windowMs)));
    return tally;
  }
}
