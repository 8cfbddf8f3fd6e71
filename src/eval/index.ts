/**
 * `tiered-llm/eval`: your own prompts on every tier, with cost, latency and quality side by side, a
 * recommendation and a monthly projection. The engine of `npx tiered-llm eval`.
 */
export { evaluate, EVAL_METHOD } from './evaluate.js';
export { loadCases, parseCases } from './cases/parseCases.js';
// The judge's rubric and score reader live in the core (shadow sampling grades with them too).
export { JUDGE_RUBRIC, parseScore } from 'tiered-llm';
export { renderReport } from './html/renderReport.js';

export type { EvalCase, EvalCaseInput, EvalCheck } from './EvalCase.js';
export type { EvalOptions, EvalProgress } from './EvalOptions.js';
export type { ParsedScore } from 'tiered-llm';
export type {
  EvalAnswer,
  EvalCaseResult,
  EvalJudgeSummary,
  EvalLatency,
  EvalModelSummary,
  EvalPick,
  EvalQuality,
  EvalRecommendation,
  EvalReport,
  EvalRouterSummary,
  EvalRun,
  EvalScoredBy,
  EvalSettings,
} from './EvalReport.js';
