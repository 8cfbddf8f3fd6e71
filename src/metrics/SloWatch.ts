import { sloObjectives, type SloGoal, type SloMetric, type SloObjective, type SloWindow } from './sloObjectives.js';
import type { SloTargetSettings } from './SloTargets.js';

/** An objective missed (`slo:breach`) or met again (`slo:recovered`). */
export interface SloEvent {
  /** `'client'`, or the tier the objective is set for. */
  readonly scope: string;
  /** The objective, named as in the `slo` option: `'p99Ms'`, `'errorRate'`, `'ttftP95Ms'`, `'quality'`... */
  readonly metric: SloMetric;
  /** Its value over the window; for `'quality'`, the mean of the scores in the window. */
  readonly value: number;
  /** The objective's target; for `'quality'`, its `minScore` (a breach is a value below it, not above). */
  readonly target: number;
  readonly windowMs: number;
}

/**
 * Judges one scope against its objectives when a call ends or a score (feedback, shadow) arrives,
 * at most once a second (percentiles merge histograms), and reports each objective's change of
 * state once: breached, then recovered.
 */
export class SloWatch {
  private readonly breached = new Set<SloMetric>();
  private lastCheck = Number.NEGATIVE_INFINITY;
  /** Only the objectives set for this scope, with their goals. */
  private readonly judged: readonly (readonly [SloObjective, SloGoal])[];

  constructor(
    private readonly scope: string,
    targets: SloTargetSettings,
    private readonly windowMs: number,
    private readonly report: (event: 'slo:breach' | 'slo:recovered', payload: SloEvent) => void,
  ) {
    this.judged = sloObjectives.flatMap((objective) => {
      const goal = objective.goal(targets);
      return goal === undefined ? [] : [[objective, goal] as const];
    });
  }

  check(now: number, read: () => SloWindow): void {
    if (now - this.lastCheck < 1_000) return;
    this.lastCheck = now;
    const window = read();
    for (const [objective, { target, minSamples }] of this.judged) {
      const { value, samples } = objective.measure(window);
      // Too few samples (none at all, whatever minRequests says): not judged, so a breach stands
      // until enough calls (or scores) say otherwise.
      if (samples > 0 && samples >= minSamples) this.judge(objective, value, target);
    }
  }

  private judge({ metric, missedWhen }: SloObjective, value: number, target: number): void {
    const missed = missedWhen === 'above' ? value > target : value < target;
    if (missed === this.breached.has(metric)) return;
    if (missed) this.breached.add(metric);
    else this.breached.delete(metric);
    this.report(missed ? 'slo:breach' : 'slo:recovered', { scope: this.scope, metric, value, target, windowMs: this.windowMs });
  }
}
