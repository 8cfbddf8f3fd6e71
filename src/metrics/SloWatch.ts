import { sloObjectives, type SloMetric, type SloObjective, type SloWindow } from './sloObjectives.js';

/** Service-level objectives, checked on the sliding window of `client.metrics()`. */
export interface SloTargets {
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly p999Ms?: number;
  /** Largest share of failed calls, from 0 to 1. */
  readonly errorRate?: number;
  /**
   * Median time to first token of the streams in the window (`metrics()`'s `ttftMs.p50`), in
   * milliseconds. Only streams have a first token: with no streams it is never judged, so never breached.
   */
  readonly ttftP50Ms?: number;
  /** 95th percentile of the streams' time to first token (`ttftMs.p95`), in milliseconds; see `ttftP50Ms`. */
  readonly ttftP95Ms?: number;
  /** 99th percentile of the streams' time to first token (`ttftMs.p99`), in milliseconds; see `ttftP50Ms`. */
  readonly ttftP99Ms?: number;
  /**
   * Calls in the window before anything is judged: two slow calls are not a breach. The
   * time-to-first-token objectives count streams only. @default 20
   */
  readonly minRequests?: number;
}

/** One scope's objectives, checked, with `minRequests` filled in. */
export type SloTargetSettings = SloTargets & { readonly minRequests: number };

/** An objective missed (`slo:breach`) or met again (`slo:recovered`). */
export interface SloEvent {
  /** `'client'`, or the tier the objective is set for. */
  readonly scope: string;
  /** The objective, named as in the `slo` option: `'p99Ms'`, `'errorRate'`, `'ttftP95Ms'`... */
  readonly metric: SloMetric;
  /** Its value over the window. */
  readonly value: number;
  readonly target: number;
  readonly windowMs: number;
}

/**
 * Judges one scope against its objectives, at most once a second (percentiles merge histograms),
 * and reports each objective's change of state once: breached, then recovered.
 */
export class SloWatch {
  private readonly breached = new Set<SloMetric>();
  private lastCheck = Number.NEGATIVE_INFINITY;
  /** Only the objectives set for this scope, with their targets. */
  private readonly judged: readonly (readonly [SloObjective, number])[];

  constructor(
    private readonly scope: string,
    private readonly targets: SloTargetSettings,
    private readonly windowMs: number,
    private readonly report: (event: 'slo:breach' | 'slo:recovered', payload: SloEvent) => void,
  ) {
    this.judged = sloObjectives.flatMap((objective) => {
      const target = targets[objective.metric];
      return target === undefined ? [] : [[objective, target] as const];
    });
  }

  check(now: number, read: () => SloWindow): void {
    if (now - this.lastCheck < 1_000) return;
    this.lastCheck = now;
    const window = read();
    for (const [objective, target] of this.judged) {
      const { value, samples } = objective.measure(window);
      // Too few samples (none at all, whatever minRequests says): not judged, so a breach stands
      // until enough calls say otherwise.
      if (samples > 0 && samples >= this.targets.minRequests) this.judge(objective.metric, value, target);
    }
  }

  private judge(metric: SloMetric, value: number, target: number): void {
    const missed = value > target;
    if (missed === this.breached.has(metric)) return;
    if (missed) this.breached.add(metric);
    else this.breached.delete(metric);
    this.report(missed ? 'slo:breach' : 'slo:recovered', { scope: this.scope, metric, value, target, windowMs: this.windowMs });
  }
}
