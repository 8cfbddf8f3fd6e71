import type { EvalRun } from '../EvalReport.js';

/** An `EvalRun` while the engine fills it in (scores come after the answers). */
export type RunRecord = { -readonly [K in keyof EvalRun]: EvalRun[K] };

/** The label under which the router's runs are kept and projected. */
export const ROUTER = 'auto';

/** The usage of a run with no answer. */
export const noUsage = Object.freeze({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 });

/** Sums dollars exactly, by whole pico-dollars, as the client prices them. */
export function sumUsd(values: Iterable<number>): number {
  let pico = 0;
  for (const value of values) pico += Math.round(value * 1e12);
  return pico / 1e12;
}
