import { count, section, type Bounds } from '../errors/checkOption.js';
import { ConfigError } from '../errors/ConfigError.js';
import { showValue } from '../errors/showValue.js';
import type { SloDefaults, SloTargetSettings } from './SloTargets.js';
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
  /** Feedback and shadow scores in the window: how many, and their sum. */
  scores(): { readonly samples: number; readonly sum: number };
}

/** The names an objective is set by in the `slo` option and reported by in `slo:breach`. */
export type SloMetric = 'p50Ms' | 'p95Ms' | 'p99Ms' | 'p999Ms' | 'errorRate' | 'ttftP50Ms' | 'ttftP95Ms' | 'ttftP99Ms' | 'quality';

/** What one scope holds an objective to: its target, and the samples it needs before it is judged. */
export interface SloGoal {
  readonly target: number;
  readonly minSamples: number;
}

/** One kind of objective: how it is set, how it is measured, and which side of its target is a miss. */
export interface SloObjective {
  readonly metric: SloMetric;
  /** Missed when its value is above the target (times, error rates) or below it (quality). */
  readonly missedWhen: 'above' | 'below';
  /** Checks its setting in one scope's `slo` section, named `field`; what it adds to the settings. @throws ConfigError */
  resolve(targets: Record<string, unknown>, field: string, defaults: SloDefaults): Partial<SloTargetSettings>;
  /** Its goal in one scope's settings; undefined when it is not set there, so not judged. */
  goal(settings: SloTargetSettings): SloGoal | undefined;
  /** Its value over the window, and the samples it rests on. */
  measure(window: SloWindow): { readonly value: number; readonly samples: number };
}

type Flat = Exclude<SloMetric, 'quality'>;

// A number in the `slo` section, missed above it, judged from `minRequests` samples on.
const ceiling = (metric: Flat, bounds: Bounds, measure: SloObjective['measure']): SloObjective => ({
  metric,
  missedWhen: 'above',
  // A target's fallback only shows in the hint: an objective not given is not judged at all.
  resolve: (targets, field) => (targets[metric] === undefined ? {} : { [metric]: count(targets, `${field}.${metric}`, 0, bounds) }),
  goal: (settings) => {
    const target = settings[metric];
    return target === undefined ? undefined : { target, minSamples: settings.minRequests };
  },
  measure,
});

const latency = (metric: Flat, key: keyof Percentiles): SloObjective =>
  ceiling(metric, { min: 0 }, (window) => ({ value: window.latency()[key], samples: window.requests }));

// Only streams have a first token: a client without streams has no samples, and is never judged.
const ttft = (metric: Flat, key: keyof Percentiles): SloObjective =>
  ceiling(metric, { min: 0 }, (window) => {
    const { percentiles, samples } = window.ttft();
    return { value: percentiles[key], samples };
  });

const quality: SloObjective = {
  metric: 'quality',
  missedWhen: 'below',
  resolve: (targets, field, defaults) => {
    if (targets.quality === undefined) return {};
    const given = section(targets.quality, `${field}.quality`, ['minScore', 'minSamples']);
    const { minScore } = given;
    if (typeof minScore !== 'number' || !(minScore >= 0 && minScore <= 1))
      throw new ConfigError(
        `${field}.quality.minScore`,
        minScore === undefined ? 'is missing' : `must be a number from 0 to 1, got ${showValue(minScore)}`,
        'Give the lowest mean score the answers may have, from 0 to 1, e.g. 0.7.',
      );
    const minSamples = count(given, `${field}.quality.minSamples`, defaults.quality.minSamples, { min: 1, integer: true });
    return { quality: { minScore, minSamples } };
  },
  goal: (settings) => settings.quality && { target: settings.quality.minScore, minSamples: settings.quality.minSamples },
  measure: (window) => {
    const { samples, sum } = window.scores();
    return { value: samples === 0 ? 0 : sum / samples, samples };
  },
};

/** Every objective the `slo` option knows, in the order they are judged: a new kind is one entry here. */
export const sloObjectives: readonly SloObjective[] = [
  latency('p50Ms', 'p50'),
  latency('p95Ms', 'p95'),
  latency('p99Ms', 'p99'),
  latency('p999Ms', 'p999'),
  ceiling('errorRate', { max: 1 }, (window) => ({
    value: window.requests === 0 ? 0 : window.errors / window.requests,
    samples: window.requests,
  })),
  ttft('ttftP50Ms', 'p50'),
  ttft('ttftP95Ms', 'p95'),
  ttft('ttftP99Ms', 'p99'),
  quality,
];
