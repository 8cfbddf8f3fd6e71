import type { EvalCaseInput } from '../EvalCase.js';
import type { DemoModelId } from './demoModels.js';

/**
 * One model's scripted answer to a case, with what it deserves: `pass` for a case with a check (the
 * verdict the check must reach), `grade` for a judged case (what the demo's judge answers; `'rambles'`
 * for the one answer the judge gives no parsable score).
 */
export interface DemoAnswer {
  readonly text: string;
  readonly pass?: boolean;
  readonly grade?: number | 'rambles';
}

/** A shipped case and each model's answer to it. */
export interface DemoScriptedCase {
  readonly case: EvalCaseInput;
  readonly answers: Readonly<Record<DemoModelId, DemoAnswer>>;
}
