import type { TokenUsage } from 'tiered-llm';

/** Latency percentiles over a model's answered runs, in ms; `null` without an answer. */
export interface EvalLatency {
  /** Median. */
  readonly p50: number | null;
  /** 95th percentile. */
  readonly p95: number | null;
  /** 99th percentile (nearest rank: the slowest run when there are fewer than 100). */
  readonly p99: number | null;
}

/** A model's quality over the runs it answered. */
export interface EvalQuality {
  /** Mean score (0..1) of the runs a check, the judge or the reference scored; `null` when none was. */
  readonly score: number | null;
  /** Share (0..1) of the checked runs whose check passed; `null` when no run was checked. */
  readonly passRate: number | null;
  /** Runs scored by a case's `check`. */
  readonly checked: number;
  /** Runs scored by the judge. */
  readonly judged: number;
}

/** One evaluated model, over every case and repeat. */
export interface EvalModelSummary {
  /** The label of this model in the report: its id, or `provider/model` where ids repeat. */
  readonly model: string;
  /** The catalog model id sent upstream. */
  readonly modelId: string;
  /** The catalog provider of its deployment. */
  readonly provider: string;
  /** Its tier in the catalog. */
  readonly tier: string;
  /** Calls made (cases × repeats), reused ones included. */
  readonly runs: number;
  /** Runs that ended in an error (no answer). */
  readonly errors: number;
  /** Exact cost of every run, from the provider's usage and the catalog's prices. */
  readonly costUsd: number;
  /** `costUsd` over the answered runs: what one answer costs. `null` without an answer. */
  readonly costPerCaseUsd: number | null;
  /** Over the answered runs; each run is one whole call, retries included. */
  readonly latencyMs: EvalLatency;
  /** Output tokens over the answered runs' time, per second. `null` without an answer. */
  readonly outputTokensPerSecond: number | null;
  /** Over the scored runs. */
  readonly quality: EvalQuality;
}

/** How one run's answer was scored. */
export type EvalScoredBy = 'check' | 'judge' | 'reference';

/** One call of one case on one model (or the router): the answer, or why there is none. */
export interface EvalRun {
  /** 0-based repeat index. */
  readonly repeat: number;
  /** The first choice's text; '' without an answer. */
  readonly text: string;
  /** 0..1; absent when the answer was not scored (no check, no judge, or an unparsable judgement). */
  readonly score?: number;
  /** Whether the case's check passed; absent when the case has no check. */
  readonly pass?: boolean;
  /** What scored the answer: its case's check, the judge, or `reference` (with a judge, the reference model's own answer to a case without `expected`: 1). */
  readonly scoredBy?: EvalScoredBy;
  /** Why the check failed, when it did: `does not contain "refund"`. */
  readonly failedCheck?: string;
  /** Why an answer that should have been judged was not (the judge failed or gave no parsable score). */
  readonly unjudged?: string;
  /** A hash of the judge, the reference and the answer it judged: `--resume` keeps the score while they are unchanged. */
  readonly judgedAgainst?: string;
  /** Exact, from the provider's usage and the catalog's prices; 0 when nothing was answered. */
  readonly costUsd: number;
  /** The whole call, retries included, to a tenth of a ms. */
  readonly latencyMs: number;
  /** Tokens as the provider reported them (estimated when it reported none). */
  readonly usage: TokenUsage;
  /** The deployment that answered, `provider/model` (for the router's runs, where it chose). */
  readonly answeredBy?: string;
  /** The tier that answered (the router's choice, for the router's runs). */
  readonly tier?: string;
  /** Why the run has no answer: an error code (`ALL_MODELS_FAILED`, `aborted`...) and its message. */
  readonly error?: {
    /** A `TieredError` code (`ALL_MODELS_FAILED`...), `HTTP_<status>` for an `openai` error, or the error's name. */
    readonly code: string;
    /** The error's message (keys are never in it). */
    readonly message: string;
  };
  /** True when `--resume` took this answer from an earlier report instead of paying for it again. */
  readonly reused?: boolean;
}

/** One case on one model, over its repeats. */
export interface EvalAnswer {
  /** The first answered run's text; '' when no run answered. */
  readonly text: string;
  /** Mean score of the scored runs; absent when none was scored. */
  readonly score?: number;
  /** True when every checked run passed; absent when the case has no check. */
  readonly pass?: boolean;
  /** Cost of every run of this case on this model. */
  readonly costUsd: number;
  /** Median latency of the answered runs (of every run when none answered). */
  readonly latencyMs: number;
  /** The first run's error message, when no run answered. */
  readonly error?: string;
  /** Every run, in repeat order. */
  readonly runs: readonly EvalRun[];
}

/** One case, with each model's answer side by side. */
export interface EvalCaseResult {
  /** The case's id. */
  readonly id: string;
  /** The case's tags. */
  readonly tags: readonly string[];
  /**
   * A hash of the case's messages, what decides its answers: `--resume` reuses an answer only while it
   * is unchanged. A changed `expected` or `check` re-scores the answers it reuses, at no call.
   */
  readonly hash: string;
  /** The prompt as shown in the report: the last user message's text. */
  readonly prompt: string;
  /** The case's reference answer, when it has one. */
  readonly expected?: string;
  /** Each model's answer, by model label. */
  readonly byModel: Readonly<Record<string, EvalAnswer>>;
  /** The router's answer, with `route: 'auto'`. */
  readonly router?: EvalAnswer;
}

/** The client's own `'auto'` routing on every case, against the reference model alone. */
export interface EvalRouterSummary {
  /** Calls made through the router (cases × repeats). */
  readonly runs: number;
  /** Runs with no answer. */
  readonly errors: number;
  /** Exact cost of every routed run. */
  readonly costUsd: number;
  /** `costUsd` over the answered runs; `null` without an answer. */
  readonly costPerCaseUsd: number | null;
  /** Mean score of the router's scored answers; `null` when none was scored. */
  readonly quality: number | null;
  /** Over the answered runs. */
  readonly latencyMs: EvalLatency;
  /** The model it is compared with: the first model of the highest tier evaluated. */
  readonly reference: string;
  /** What the same runs cost on the reference model (its cost per case × the router's answered runs). */
  readonly referenceCostUsd: number | null;
  /** `referenceCostUsd - costUsd`: what routing saved against sending everything to the reference. */
  readonly savedVsReferenceUsd: number | null;
  /** The router's quality over the reference's (1 = as good); `null` when either has no score. */
  readonly qualityRetained: number | null;
  /** How many runs the router sent to each tier. */
  readonly tiers: Readonly<Record<string, number>>;
}

/** The model to use: the cheapest within `minQualityRatio` of the best quality. */
export interface EvalPick {
  /** The model's label. */
  readonly model: string;
  /** Its tier. */
  readonly tier: string;
  /** Its mean score on the cases considered, each failed run counted as 0. */
  readonly quality: number;
  /** What one answer costs on those cases. */
  readonly costPerCaseUsd: number;
}

/** What the report recommends, over every case and per tag. */
export interface EvalRecommendation {
  /** Absent when no model has a quality score (no check and no judge). */
  readonly overall?: EvalPick;
  /** The pick on each tag's cases alone, by tag. */
  readonly byTag: Readonly<Record<string, EvalPick>>;
}

/** The judge's own spend: never mixed into the models' costs. */
export interface EvalJudgeSummary {
  /** The judge, as given (a tier or a model id). */
  readonly model: string;
  /** Exact cost of every judgement. */
  readonly costUsd: number;
  /** Judgements asked for. */
  readonly calls: number;
  /** Judgements that failed or gave no parsable score (those answers are unjudged, not 0). */
  readonly unjudged: number;
}

/** How the evaluation was run, recorded in the report. */
export interface EvalSettings {
  /** The model labels, in the order evaluated. */
  readonly models: readonly string[];
  /** The judge, as given. */
  readonly judge?: string;
  /** `'auto'` when the router was evaluated too. */
  readonly route?: 'auto';
  /** Calls per case and model. */
  readonly repeat: number;
  /** Calls in flight at once. */
  readonly concurrency: number;
  /** Calls a month, for the projection. */
  readonly monthlyCalls?: number;
  /** The recommendation's bar: the share of the best quality a model must reach. */
  readonly minQualityRatio: number;
  /** What the model runs leave out, said in the report and on the terminal. */
  readonly method: string;
}

/** What `evaluate()` resolves to, and what `tiered-llm eval` writes to `results.json`. */
export interface EvalReport {
  /** The format of this report; `--resume` reads only its own. */
  readonly version: 1;
  /** ISO time the evaluation started. */
  readonly startedAt: string;
  /** Wall time of the evaluation. */
  readonly durationMs: number;
  /** True when the evaluation was aborted: the report holds what was answered before. */
  readonly aborted: boolean;
  /** How it was run. */
  readonly settings: EvalSettings;
  /** One line per model, in the order evaluated. */
  readonly models: readonly EvalModelSummary[];
  /** Every case, with each model's answer side by side. */
  readonly cases: readonly EvalCaseResult[];
  /** With a judge: its own spend. */
  readonly judge?: EvalJudgeSummary;
  /** With `route: 'auto'`: the router against the reference model. */
  readonly router?: EvalRouterSummary;
  /** The cheapest model within `minQualityRatio` of the best quality. */
  readonly recommendation: EvalRecommendation;
  /** With `monthlyCalls`: each model's (and, as `'auto'`, the router's) cost for a month of this workload. */
  readonly projection?: Readonly<Record<string, number>>;
}
