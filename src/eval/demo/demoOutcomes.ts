import type { DemoModelId } from './demoModels.js';
import { DEMO_MODELS } from './demoModels.js';
import { DEMO_SCRIPT, type DemoAnswer } from './demoScript.js';

/** What the eval must make of one scripted answer. */
export interface DemoOutcome {
  /** The check's verdict, for a case with a check. */
  readonly pass?: boolean;
  /**
   * The score the answer deserves: 1 or 0 from a check, else the judge's grade (1 for the highest
   * tier's own answer to a case without `expected`: it is the reference). Absent when unjudged.
   */
  readonly score?: number;
  /** True for the one answer the demo's judge gives no parsable score: unjudged, not 0. */
  readonly unjudged?: true;
}

/**
 * The demo's expected outcomes, per model, per case id: what a correct engine reports for the
 * shipped cases with `judge: 'hot'`, so its tests can assert that the scores come out exactly as the
 * scripts deserve.
 */
export const DEMO_OUTCOMES: Readonly<Record<DemoModelId, Readonly<Record<string, DemoOutcome>>>> = Object.fromEntries(
  DEMO_MODELS.map(({ id }) => [id, Object.fromEntries(DEMO_SCRIPT.map((scripted) => [scripted.case.id, outcomeOf(scripted.answers[id])]))]),
) as Record<DemoModelId, Record<string, DemoOutcome>>;

function outcomeOf(answer: DemoAnswer): DemoOutcome {
  if (answer.pass !== undefined) return { pass: answer.pass, score: answer.pass ? 1 : 0 };
  if (answer.grade === 'rambles') return { unjudged: true };
  return { score: answer.grade ?? 0 };
}
