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
// Only transient failures say the deployment is sick. A 4xx proves it is up and answering, so opossum
// counts it as a success (it may close a half-open breaker), which is what we want.
const notTransient = (error: unknown): boolean => classifyFailure(error).action !== 'retry';

/** A deployment at run time: its `openai` client, circuit breaker, cool-down and recent latencies. */
export class LiveDeployment {
  /** Until when (epoch ms) a long `retry-after` asked us to leave this deployment alone. */
  coolingDownUntil = 0;
  readonly latency = new LatencyWindow();
  private breakerInstance: CircuitBreaker<[Call], unknown> | undefined;

  constructor(
    readonly deployment: Deployment,
    readonly client: OpenAI,
    private readonly settings: BreakerSettings,
    private readonly onBreakerChange: (live: LiveDeployment, state: BreakerState) => void,
  ) {}

  /** Runs one network call through the breaker; rejects with opossum's `EOPENBREAKER` when it is open. */
  fire<T>(call: () => Promise<T>): Promise<T> {
    return this.breaker().fire(call) as Promise<T>;
  }

  /** True when the breaker refuses calls right now (open, or half-open with its probe in flight). */
  get rejecting(): boolean {
    const breaker = this.breakerInstance;
    return breaker !== undefined && !breaker.closed && !breaker.pendingClose;
  }

  get breakerState(): BreakerState {
    const breaker = this.breakerInstance;
    if (breaker === undefined || breaker.closed) return 'closed';
    return breaker.halfOpen ? 'halfOpen' : 'open';
  }

  coolingDown(now: number): boolean {
    return this.coolingDownUntil > now;
  }

  /** Stops the breaker's timers. */
  shutdown(): void {
    this.breakerInstance?.shutdown();
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
      errorFilter: notTransient,
    });
    breaker.on('open', () => this.onBreakerChange(this, 'open'));
    breaker.on('halfOpen', () => this.onBreakerChange(this, 'halfOpen'));
    breaker.on('close', () => this.onBreakerChange(this, 'closed'));
    this.breakerInstance = breaker;
    return breaker;
  }
}
