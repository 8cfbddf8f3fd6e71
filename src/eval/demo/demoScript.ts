import type { DemoScriptedCase } from './DemoScriptedCase.js';
import { QUESTION_CASES } from './questionCases.js';
import { TRIAGE_CASES } from './triageCases.js';

export type { DemoAnswer, DemoScriptedCase } from './DemoScriptedCase.js';

/**
 * The demo's workload, a support desk's: FAQ, classification, extraction and reasoning. `max` is right
 * on every case, `mid` on most, `mini` on the easy ones; the answers' lengths grow with the model.
 */
export const DEMO_SCRIPT: readonly DemoScriptedCase[] = [...QUESTION_CASES, ...TRIAGE_CASES];
