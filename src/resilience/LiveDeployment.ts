import CircuitBreaker from 'opossum';
import type OpenAI from 'openai';
import type { Deployment } from '../catalog/types.js';
import { DeploymentRate } from '../limits/DeploymentRate.js';
import { LatencyWindow } from '../telemetry/LatencyWindow.js';
import { classifyFailure } from './classifyFailure.js';
import type { BreakerSettings } from './resolveBreakerOptions.js';
import type { DrainSettings } from './resolveDrainOptions.js';

/** State of a deployment's circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** One network request, run by the breaker. */
type Send = () => Promise<unknown>;
/** Fewer samples than this say nothing about a p99: one outlier would be the p99. */
const minSamples = 20;
const invoke = (send: Send): Promise<unknown> => send();

/** A deployment at run time: its `openai` client, circuit breaker, cool-down and recent latencies. */
export class LiveDeployment {
  /** Until when (epoch ms) a long `retry-after` asked us to leave this deployment alone. */
  coolingDownUntil = 0;
  readonly latency = new LatencyWindow();
  /** Exponentially weighted mean latency of recent successful attempts (0 before the first): for least-latency balancing. */
  recentLatencyMs = 0;
  /** Until when (epoch ms) the deployment is drained for slowness; 0 when it is not. */
  drainedUntil = 0;
  /** Its catalog `limits` and any pause its provider's rate-limit headers asked for; undefined while it has neither. */
  rate: DeploymentRate | undefined;
  private slowSince: number | undefined;
  private lastSlownessCheck = 0;
  private breakerInstance: CircuitBreaker<[Send], unknown> | undefined;
  private closed = false;
  /** True while the breaker is open (or half-open) and a health probe has seen the deployment down. */
  private probedDown = false;

  constructor(
    readonly deployment: Deployment,
    readonly client: OpenAI,
    private readonly settings: BreakerSettings,
    private readonly onBreakerChange: (live: LiveDeployment, state: BreakerState) => void,
    private readonly drain: DrainSettings | undefined = undefined,
    private readonly onDrainChange: (live: LiveDeployment, drained: boolean, p99Ms: number) => void = () => {},
  ) {
    this.rate = DeploymentRate.of(deployment);
  }

  /** Runs one network call through the breaker; rejects with opossum's `EOPENBREAKER` when it is open. */
  fire<T>(send: () => Promise<T>): Promise<T> {
    // After close(), calls still in flight finish without a breaker (and without making a new one).
    if (this.closed) return send();
    return this.breaker().fire(send) as Promise<T>;
  }

  /** True when the breaker refuses calls right now (open, or half-open with its probe in flight). */
  get rejecting(): boolean {
    const breaker = this.breakerInstance;
    return !this.closed && breaker !== undefined && !breaker.closed && !breaker.pendingClose;
  }

  get breakerState(): BreakerState {
    const breaker = this.breakerInstance;
    if (this.closed || breaker === undefined || breaker.closed) return 'closed';
    return breaker.halfOpen ? 'halfOpen' : 'open';
  }

  /**
   * A transient failure: least-latency balancing must not keep trying first a deployment that fails
   * fast. Its recent latency doubles (at least what the failure took, and a second).
   */
  recordFailure(ms: number): void {
    this.recentLatencyMs = Math.max(this.recentLatencyMs * 2, ms, 1_000);
  }

  /** Records the latency of a successful attempt. */
  recordLatency(ms: number): void {
    this.latency.record(ms);
    this.recentLatencyMs = this.recentLatencyMs === 0 ? ms : this.recentLatencyMs * 0.8 + ms * 0.2;
    if (this.drain !== undefined) this.checkSlowness(this.drain, Date.now());
  }

  /** True while drained for slowness; once the cool-down is over, the deployment is back (and says so). */
  drained(now: number): boolean {
    if (this.drainedUntil === 0) return false;
    if (now < this.drainedUntil) return true;
    this.restore();
    return false;
  }

  private restore(): void {
    this.drainedUntil = 0;
    // Judged afresh: the samples that drained it are not held against it.
    this.latency.clear();
    this.onDrainChange(this, false, 0);
  }

  /**
   * Drains the deployment when its p99 has stayed above the limit for `forMs`. Looked at most once a
   * second: the percentile sorts the window, which is not work for every request.
   */
  private checkSlowness(drain: DrainSettings, now: number): void {
    // A drained deployment that still served (as a last candidate) is back once its cool-down is over.
    if (this.drainedUntil !== 0 && now >= this.drainedUntil) this.restore();
    if (now - this.lastSlownessCheck < 1_000 || this.drainedUntil !== 0 || this.latency.size < minSamples) return;
    this.lastSlownessCheck = now;
    const { p99 } = this.latency.percentiles();
    if (p99 <= drain.p99Ms) {
      this.slowSince = undefined;
      return;
    }
    this.slowSince ??= now;
    if (now - this.slowSince < drain.forMs) return;
    this.slowSince = undefined;
    this.drainedUntil = now + drain.cooldownMs;
    this.onDrainChange(this, true, p99);
  }

  coolingDown(now: number): boolean {
    return this.coolingDownUntil > now;
  }

  /**
   * A health probe found the deployment down: its breaker opens now (or stays open), and after its
   * reset timeout lets one request through as usual.
   */
  markDown(): void {
    if (this.closed) return;
    this.breaker().open();
    this.probedDown = true;
  }

  /**
   * A health probe found the deployment up: an open or half-open breaker closes, if a probe had seen
   * it down or `proven` (a probe of the model itself). A provider-wide `GET /models` does not overrule
   * a breaker that the model's own failures opened: its half-open trial decides, as without probes.
   */
  markUp(proven: boolean): void {
    const breaker = this.breakerInstance;
    if (this.closed || breaker === undefined || breaker.closed || !(proven || this.probedDown)) return;
    breaker.close();
  }

  /** Stops the breaker's timers, for good. */
  shutdown(): void {
    this.closed = true;
    this.breakerInstance?.shutdown();
  }

  /**
   * Only transient failures say the deployment is sick. A 4xx proves it is up and answering, so it
   * counts as a success (it may close a half-open breaker). A caller's abort proves nothing: it is
   * counted as a success while closed, but an abandoned half-open probe re-opens the breaker.
   */
  private countsAsFailure(error: unknown): boolean {
    const failure = classifyFailure(error);
    if (failure.code === 'aborted') return this.breakerInstance?.halfOpen === true;
    return failure.action === 'retry';
  }

  // Created on first use: an unused deployment costs no timers.
  private breaker(): CircuitBreaker<[Send], unknown> {
    if (this.breakerInstance !== undefined) return this.breakerInstance;
    const { settings } = this;
    const breaker = new CircuitBreaker<[Send], unknown>(invoke, {
      // opossum's own timeout would reject without stopping the request; our AbortSignals enforce time limits.
      timeout: false,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      resetTimeout: settings.resetTimeoutMs,
      rollingCountTimeout: settings.rollingWindowMs,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      errorFilter: (error: unknown) => !this.countsAsFailure(error),
    });
    breaker.on('open', () => {
      // Opened by requests, unless markDown() says otherwise right after.
      this.probedDown = false;
      this.onBreakerChange(this, 'open');
    });
    breaker.on('halfOpen', () => this.onBreakerChange(this, 'halfOpen'));
    breaker.on('close', () => {
      this.probedDown = false;
      this.onBreakerChange(this, 'closed');
    });
    this.breakerInstance = breaker;
    return breaker;
  }
}
