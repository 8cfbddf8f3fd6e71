import type { TieredRequestOptions } from '../call/requests.js';
import type { ShadowDropReason } from './shadowEvents.js';
import { judgeMessages } from './judgePrompt.js';
import { parseScore } from './parseScore.js';
import type { ShadowScorer } from './resolveShadowOptions.js';
import type { SendSide, SideOutcome } from './SideRequest.js';

/** A judgement of a shadowed answer: its score, or why there is none; with what the judge cost. */
export type ShadowJudgement =
  { readonly score: number; readonly costUsd: number } | { readonly reason: ShadowDropReason; readonly costUsd: number };

/** What the judge is given: the question, the answer to score and the shadow's reference. */
export interface JudgeInput {
  readonly question: string;
  readonly answer: string;
  readonly reference: string;
  /** The sampled call's options (its `providers` and `region` hold for an LLM judge too). */
  readonly of: TieredRequestOptions;
  readonly signal: AbortSignal;
}

/**
 * Scores a shadowed answer against the shadow's: the user's function, or an LLM (the judge model, or
 * the shadow model itself) grading with `JUDGE_RUBRIC`. Never rejects: a judge that throws, answers
 * nonsense or a number outside 0..1 is `unscored`; one ended by `close()` is `closed`.
 */
export async function judgeShadow(scorer: ShadowScorer, send: SendSide, input: JudgeInput): Promise<ShadowJudgement> {
  const { question, answer, reference, of, signal } = input;
  if (scorer.kind === 'function') {
    let score: unknown;
    try {
      score = await untilAborted(() => scorer.score(answer, reference), signal);
    } catch {
      return { reason: 'unscored', costUsd: 0 };
    }
    if (score === aborted) return { reason: 'closed', costUsd: 0 };
    return inRange(score) ? { score, costUsd: 0 } : { reason: 'unscored', costUsd: 0 };
  }
  const graded = await send({ params: { model: scorer.name, messages: judgeMessages(question, reference, answer) }, of, signal });
  if (!graded.ok) return { reason: signal.aborted ? 'closed' : reasonOf(graded, 'unscored'), costUsd: 0 };
  const parsed = parseScore(graded.text);
  return 'score' in parsed ? { score: parsed.score, costUsd: graded.costUsd } : { reason: 'unscored', costUsd: graded.costUsd };
}

/** Why a side request that did not answer is dropped: `failedAs` when every attempt failed. */
export function reasonOf(outcome: SideOutcome & { ok: false }, failedAs: ShadowDropReason): ShadowDropReason {
  return outcome.stage === 'route' ? 'unroutable' : outcome.stage === 'budget' ? 'budget' : failedAs;
}

function inRange(score: unknown): score is number {
  return typeof score === 'number' && score >= 0 && score <= 1;
}

const aborted: unique symbol = Symbol('aborted');

/** The user's function, which cannot be aborted: `close()` stops waiting for it instead. */
function untilAborted<T>(work: () => T | Promise<T>, signal: AbortSignal): Promise<T | typeof aborted> {
  if (signal.aborted) return Promise.resolve(aborted);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(aborted);
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal.removeEventListener('abort', onAbort);
    // A function that throws at once rejects like one whose promise does.
    Promise.resolve()
      .then(work)
      .then(
        (value) => (done(), resolve(value)),
        (error: unknown) => (done(), reject(error)),
      );
  });
}
