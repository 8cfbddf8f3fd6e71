import type { Bounds } from '../errors/checkOption.js';
import type { Percentiles } from './WindowedHistogram.js';

/** What one scope's objectives are judged on, over the window; the percentiles are read only when asked. */
export interface SloWindow {
  /** Calls in the window. */
  readonly requests: number;
  readonly errors: number;
  /** Latency of the successful calls in the window. */
  latency(): Percentiles;
  /** Time to first token of the streams in the window, and how many there were. */
  ttft(): { readonly percentiles: Percentiles; readonly samples: number };
}

/** The names an objective is set by in the `slo` option and reported by in `slo:breach`. */
export type SloMetric = 'p50Ms' | 'p95Ms' | 'p99Ms' | 'p999Ms' | 'errorRate' | 'ttftP50Ms' | 'ttftP95Ms' | 'ttftP99Ms';

/** One kind of objective: the bounds of its target and how it is measured. Missed when its value is above the target. */
export interface SloObjective {
  readonly metric: SloMetric;
  readonly bounds: Bounds;
  /** Its value over the window, and the samples it rests on (judged from `minRequests` of them on). */
  measure(window: SloWindow): { readonly value: number; readonly samples: number };
}

const latency = (metric: SloMetric, key: keyof Percentiles): SloObjective => ({
  metric,
  bounds: { min: 0 },
  measure: (window) => ({ value: window.latency()[key], samples: window.requests }),
});

// Only streams have a first token: a client without streams has no samples, and is never judged.
const ttft = (metric: SloMetric, key: keyof Percentiles): SloObjective => ({
  metric,
  bounds: { min: 0 },
  measure: (window) => {
    const { percentiles, samples } = window.ttft();
    return { value: percentiles[key], samples };
  },
});

/** Every objective the `slo` option knows, in the order they are judged: a new kind is one entry here. */
export const sloObjectives: readonly SloObjective[] = [
  latency('p50Ms', 'p50'),
  latency('p95Ms', 'p95'),
  latency('p99Ms', 'p99'),
  latency('p999Ms', 'p999'),
  {
    metric: 'errorRate',
    bounds: { max: 1 },
    measure: (window) => ({ value: window.requests === 0 ? 0 : window.errors / window.requests, samples: window.requests }),
  },
  ttft('ttftP50Ms', 'p50'),
  ttft('ttftP95Ms', 'p95'),
  ttft('ttftP99Ms', 'p99'),
];
