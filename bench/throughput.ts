/**
 * Throughput at 64 concurrent calls against the raw openai client: alternating batches of the same
 * number of calls through each, on the same mock (its own process); calls per second and this
 * process's CPU time per call.
 */
import type { Pair } from './catalog.js';
import { alternate, median, pairedRatio } from './stats.js';

/** Calls per second of `call` made `total` times by `concurrency` workers, and this process's CPU time per call in µs. */
export async function callsPerSecond(
  total: number,
  concurrency: number,
  call: () => Promise<unknown>,
): Promise<{ rate: number; cpuUs: number }> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++;
      await call();
    }
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { rate: total / ((performance.now() - t0) / 1000), cpuUs: (cpu.user + cpu.system) / total };
}

/** One client's figures: calls per second and CPU µs per call, each the median of its batches (or, as a ratio, of adjacent batches' ratios). */
export interface ThroughputFigures {
  readonly rate: number;
  readonly cpuUs: number;
}

/**
 * About `calls` calls through each client at `concurrency`, in alternating batches of `batch` (at
 * least two batches each). Each ratio is the median of adjacent batches' ratios: the machine's
 * share of CPU for this process moves more from one moment to the next than between two batches.
 */
export async function benchThroughput(
  pair: Pair<unknown>,
  calls: number,
  concurrency = 64,
  batch = 256,
): Promise<Record<'raw' | 'tiered' | 'ratio', ThroughputFigures>> {
  const batches = await alternate(Math.max(2, Math.round(calls / batch)), {
    raw: () => callsPerSecond(batch, concurrency, pair.raw),
    tiered: () => callsPerSecond(batch, concurrency, pair.tiered),
  });
  const summary = (runs: typeof batches.raw): ThroughputFigures => ({
    rate: median(runs.map((run) => run.rate)),
    cpuUs: median(runs.map((run) => run.cpuUs)),
  });
  const of = (runs: typeof batches.raw, key: keyof ThroughputFigures) => runs.map((run) => run[key]);
  return {
    raw: summary(batches.raw),
    tiered: summary(batches.tiered),
    ratio: {
      rate: pairedRatio(of(batches.raw, 'rate'), of(batches.tiered, 'rate')),
      cpuUs: pairedRatio(of(batches.raw, 'cpuUs'), of(batches.tiered, 'cpuUs')),
    },
  };
}
