/** What one run of the overhead measures reports, and the goals each figure is judged by. */

/** One client's figures in one run (times in ms, CPU in µs of this process's time). */
export interface ClientFigures {
  readonly latencyMs: number;
  readonly latencyP99Ms: number;
  readonly cpuPerCallUs: number;
  readonly ttftMs: number;
  readonly ttftP99Ms: number;
  readonly streamMs: number;
  readonly cpuPerStreamUs: number;
  readonly callsPerSecond: number;
  readonly cpuPerConcurrentCallUs: number;
  /** `embeddings.create()`, one at a time: the median latency. */
  readonly embeddingsMs: number;
  /** `responses.create()`, one at a time: the median latency. */
  readonly responsesMs: number;
}

/**
 * One run: both clients' figures, their ratios (tiered-llm over raw openai: of the medians for
 * times, the median of adjacent batches' ratios for CPU and throughput), and tiered-llm's median
 * cache hit in µs.
 */
export interface RunFigures {
  readonly raw: ClientFigures;
  readonly tiered: ClientFigures;
  readonly ratio: ClientFigures;
  readonly cacheHitUs: number;
}

/** A figure compared as a ratio, tiered-llm over raw openai; with a goal on the ratio if it has one. */
export interface Measure {
  readonly label: string;
  /** A column heading for the table of each run's ratios (no commas). */
  readonly short: string;
  readonly key: keyof ClientFigures;
  readonly unit: 'ms' | 'µs' | 'calls/s';
  readonly goal?: { readonly atMost: number } | { readonly atLeast: number };
}

/** The overhead measures in the order of the table; the goals are those of issue 12, and of issue 15 for embeddings and the Responses API. */
export const measures = (concurrency: number): readonly Measure[] => [
  { label: 'non-streaming latency, median', short: 'latency', key: 'latencyMs', unit: 'ms', goal: { atMost: 1.03 } },
  { label: 'non-streaming latency, p99', short: 'latency p99', key: 'latencyP99Ms', unit: 'ms' },
  { label: 'streaming time to first token, median', short: 'first token', key: 'ttftMs', unit: 'ms', goal: { atMost: 1.03 } },
  { label: 'streaming time to first token, p99', short: 'first token p99', key: 'ttftP99Ms', unit: 'ms' },
  { label: 'streaming total time, median', short: 'stream', key: 'streamMs', unit: 'ms' },
  {
    label: `throughput at ${concurrency} concurrent calls`,
    short: 'throughput',
    key: 'callsPerSecond',
    unit: 'calls/s',
    goal: { atLeast: 0.95 },
  },
  {
    label: `CPU per call at ${concurrency} concurrent calls`,
    short: 'CPU per call',
    key: 'cpuPerConcurrentCallUs',
    unit: 'µs',
    goal: { atMost: 1.08 },
  },
  { label: 'CPU per call, one at a time', short: 'CPU per call alone', key: 'cpuPerCallUs', unit: 'µs' },
  { label: 'CPU per stream, one at a time', short: 'CPU per stream', key: 'cpuPerStreamUs', unit: 'µs' },
  { label: 'embeddings latency, median', short: 'embeddings', key: 'embeddingsMs', unit: 'ms', goal: { atMost: 1.05 } },
  { label: 'Responses API latency, median', short: 'responses', key: 'responsesMs', unit: 'ms', goal: { atMost: 1.05 } },
];

/** The cache goal is absolute: a hit's median under this many µs. */
export const cacheHitGoalUs = 10;

/** Whether `ratio` meets the measure's goal; undefined when it has none. */
export function meets(measure: Measure, ratio: number): boolean | undefined {
  if (!measure.goal) return undefined;
  return 'atMost' in measure.goal ? ratio <= measure.goal.atMost : ratio >= measure.goal.atLeast;
}

/** The goal as written in the table. */
export const goalText = (measure: Measure): string =>
  !measure.goal ? '' : 'atMost' in measure.goal ? `<= ${measure.goal.atMost.toFixed(2)}x` : `>= ${measure.goal.atLeast.toFixed(2)}x`;
