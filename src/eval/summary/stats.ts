import type { EvalLatency, EvalQuality } from '../EvalReport.js';
import { sumUsd, type RunRecord } from '../run/RunRecord.js';

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** p50, p95 and p99 of the answered runs' latencies, in whole ms. */
export function latencyOf(answered: readonly RunRecord[]): EvalLatency {
  if (answered.length === 0) return { p50: null, p95: null, p99: null };
  const sorted = answered.map((run) => run.latencyMs).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** Mean score, pass rate and counts over runs. */
export function qualityOf(runs: readonly RunRecord[]): EvalQuality {
  let sum = 0;
  let scored = 0;
  let checked = 0;
  let passed = 0;
  let judged = 0;
  for (const run of runs) {
    if (run.score !== undefined) {
      sum += run.score;
      scored++;
    }
    if (run.scoredBy === 'check') {
      checked++;
      if (run.pass === true) passed++;
    } else if (run.scoredBy === 'judge') judged++;
  }
  return { score: scored === 0 ? null : round(sum / scored), passRate: checked === 0 ? null : round(passed / checked), checked, judged };
}

/** Cost of every run, and per answered run. */
export function costOf(runs: readonly RunRecord[]): { costUsd: number; costPerCaseUsd: number | null } {
  const costUsd = sumUsd(runs.map((run) => run.costUsd));
  const answered = runs.filter((run) => run.error === undefined).length;
  return { costUsd, costPerCaseUsd: answered === 0 ? null : costUsd / answered };
}

/** Output tokens per second over the answered runs' time. */
export function tokensPerSecond(answered: readonly RunRecord[]): number | null {
  let tokens = 0;
  let ms = 0;
  for (const run of answered) {
    tokens += run.usage.outputTokens;
    ms += run.latencyMs;
  }
  return answered.length === 0 || ms <= 0 ? null : Math.round((tokens / ms) * 1000 * 10) / 10;
}

/** Rounded to 4 decimals: scores and rates read as 0.8333, not 0.8333333333333334. */
export function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
