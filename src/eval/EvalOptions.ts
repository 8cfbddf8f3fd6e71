import type { TieredClient, TieredClientOptions } from 'tiered-llm';
import type { EvalCase, EvalCaseInput } from './EvalCase.js';
import type { EvalReport } from './EvalReport.js';

/** Where the evaluation is, after each call: for a progress bar. */
export interface EvalProgress {
  /** `'answers'`: the models (and the router) answering; `'judge'`: the judge grading. */
  readonly phase: 'answers' | 'judge';
  /** Calls (or judgements) finished in this phase, reused answers included. */
  readonly done: number;
  /** Calls (or judgements) this phase will make. */
  readonly total: number;
  /** Runs with no answer so far. */
  readonly errors: number;
  /** Answers taken from the earlier report (`previous`) instead of paid for again. */
  readonly reused: number;
}

/** Options of `evaluate()`. */
export interface EvalOptions {
  /**
   * The client whose catalog is evaluated (left open), or the options to make one (closed at the
   * end; made without its cache and budget, which an evaluation must not use).
   */
  readonly client: TieredClient | TieredClientOptions;
  /** The cases: as written in a cases file (validated, named `cases[i]` in errors), or from `loadCases()`. */
  readonly cases: readonly (EvalCaseInput | EvalCase)[];
  /** Tiers, catalog model ids or `provider/model`: a tier expands to its models. @default every tier */
  readonly models?: readonly string[];
  /** A tier (its first model) or model id that grades the answers of cases without a `check`. @default no judge */
  readonly judge?: string;
  /** `'auto'`: also run the client's own `'auto'` routing on every case, against the highest tier alone. */
  readonly route?: 'auto';
  /** Calls per case and model, for variance. An integer in 1..100. @default 1 */
  readonly repeat?: number;
  /** Calls in flight at once. An integer in 1..64. @default 4 */
  readonly concurrency?: number;
  /** Calls a month, for the projection of each model's monthly cost. */
  readonly monthlyCalls?: number;
  /** The recommendation: the cheapest model whose quality is at least this share of the best. In (0, 1]. @default 0.95 */
  readonly minQualityRatio?: number;
  /** An earlier report: its answers are reused where the case and model are unchanged (`--resume`). */
  readonly previous?: EvalReport;
  /** Stops the evaluation: calls in flight are aborted, and the report holds what was answered. */
  readonly signal?: AbortSignal;
  /** Called after each call. */
  readonly onProgress?: (progress: EvalProgress) => void;
}
