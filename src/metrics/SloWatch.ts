import type { Percentiles } from './WindowedHistogram.js';

/** Service-level objectives, checked on the sliding window of `client.metrics()`. */
export interface SloTargets {
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly p999Ms?: number;
  /** Largest share of failed calls, from 0 to 1. */
  readonly errorRate?: number;
  /** Calls in the window before anything is judged: two slow calls are not a breach. @default 20 */
  readonly minRequests?: number;
}

/** One scope's objectives, checked, with `minRequests` filled in. */
export type SloTargetSettings = SloTargets & { readonly minRequests: number };

/** An objective missed (`slo:breach`) or met again (`slo:recovered`). */
export interface SloEvent {
  /** `'client'`, or the tier the objective is set for. */
  readonly scope: string;
  readonly metric: 'p50Ms' | 'p95Ms' | 'p99Ms' | 'p999Ms' | 'errorRate';
  /** Its value over the window. */
  readonly value: number;
  readonly target: number;
  readonly windowMs: number;
}

const latencyMetrics = [
  ['p50Ms', 'p50'],
  ['p95Ms', 'p95'],
  ['p99Ms', 'p99'],
  ['p999Ms', 'p999'],
] as const;

/**
 * Judges one scope against its objectives, at most once a second (percentiles merge histograms),
 * and reports each objective's change of state once: breached, then recovered.
 */
export class SloWatch {
  private readonly breached = new Set<SloEvent['metric']>();
  private lastCheck = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly scope: string,
    private readonly targets: SloTargetSettings,
    private readonly windowMs: number,
    private readonly report: (event: 'slo:breach' | 'slo:recovered', payload: SloEvent) => void,
  ) {}

  check(now: number, read: () => { readonly latency: Percentiles; readonly requests: number; readonly errors: number }): void {
    if (now - this.lastCheck < 1_000) return;
    this.lastCheck = now;
    const { latency, requests, errors } = read();
    if (requests < this.targets.minRequests) return;
    for (const [metric, key] of latencyMetrics) {
      const target = this.targets[metric];
      if (target !== undefined) this.judge(metric, latency[key], target);
    }
    if (this.targets.errorRate !== undefined) this.judge('errorRate', errors / requests, this.targets.errorRate);
  }

  private judge(metric: SloEvent['metric'], value: number, target: number): void {
    const missed = value > target;
    if (missed === this.breached.has(metric)) return;
    if (missed) this.breached.add(metric);
    else this.breached.delete(metric);
    this.report(missed ? 'slo:breach' : 'slo:recovered', { scope: this.scope, metric, value, target, windowMs: this.windowMs });
  }
}
