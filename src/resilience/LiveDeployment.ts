import CircuitBreaker from 'opossum';
import type OpenAI from 'openai';
import type { Deployment } from '../catalog/types.js';
import { LatencyWindow } from '../telemetry/LatencyWindow.js';
import { classifyFailure } from './classifyFailure.js';

/** Circuit breaker settings, one breaker per deployment; see `BreakerOptions` on the client. */
export interface BreakerSettings {
  readonly errorThresholdPercentage: number;
  readonly volumeThreshold: number;
  readonly resetTimeoutMs: number;
  readonly rollingWindowMs: number;
}

/** State of a deployment's circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

type Call = () => Promise<unknown>;
const invoke = (call: Call): Promise<unknown> => call();

/** A deployment at run time: its `openai` client, circuit breaker, cool-down and recent latencies. */
export class LiveDeployment {
  /** Until when (epoch ms) a long `retry-after` asked us to leave this deployment alone. */
  coolingDownUntil = 0;
  readonly latency = new LatencyWindow();
  private breakerInstance: CircuitBreaker<[Call], unknown> | undefined;
  private closed = false;

  constructor(
    readonly deployment: Deployment,
    readonly client: OpenAI,
    private readonly settings: BreakerSettings,
    private readonly onBreakerChange: (live: LiveDeployment, state: BreakerState) => void,
  ) {}

  /** Runs one network call through the breaker; rejects with opossum's `EOPENBREAKER` when it is open. */
  fire<T>(call: () => Promise<T>): Promise<T> {
    // After close(), calls still in flight finish without a breaker (and without making a new one).
    if (this.closed) return call();
    return this.breaker().fire(call) as Promise<T>;
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

  coolingDown(now: number): boolean {
    return this.coolingDownUntil > now;
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
  private breaker(): CircuitBreaker<[Call], unknown> {
    if (this.breakerInstance !== undefined) return this.breakerInstance;
    const { settings } = this;
    const breaker = new CircuitBreaker<[Call], unknown>(invoke, {
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
    breaker.on('open', () => this.onBreakerChange(this, 'open'));
    breaker.on('halfOpen', () => this.onBreakerChange(this, 'halfOpen'));
    breaker.on('close', () => this.onBreakerChange(this, 'closed'));
    this.breakerInstance = breaker;
    return breaker;
  }
}
