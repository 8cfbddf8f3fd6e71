import type { EvalCase } from '../EvalCase.js';
import type { Judge } from '../judge/Judge.js';
import { checkAnswer } from '../scoring/checkAnswer.js';
import type { SchemaChecks } from '../scoring/SchemaChecks.js';
import { conversationText } from './conversationText.js';
import { runPool } from './runPool.js';
import type { RunRecord } from './RunRecord.js';
import type { RunTable } from './RunTable.js';

/** What scoring needs: the runs, the compiled schemas, the judge if any, and who the reference is. */
export interface Scoring {
  readonly table: RunTable;
  readonly labels: readonly string[];
  readonly schemas: SchemaChecks;
  readonly judge: Judge | undefined;
  /** The reference model's label: its answers are what the judge grades against when a case has no `expected`. */
  readonly reference: string;
  readonly concurrency: number;
  readonly signal: AbortSignal | undefined;
  /** Called after each judgement. */
  readonly onJudged: (done: number, total: number) => void;
}

/**
 * Scores every answered run: a case's `check` decides where it has one (free, local); otherwise the
 * judge grades against `expected`, or else against the reference model's first answer (whose own
 * answers then score 1: they are the standard). Without a judge such cases score no model. A
 * judgement kept from an earlier report is reused while the judge, the reference and the answer are
 * unchanged.
 */
export async function scoreRuns(scoring: Scoring): Promise<void> {
  const { table, labels, schemas, judge, reference } = scoring;
  const pending: { run: RunRecord; question: string; against: string }[] = [];
  for (const c of table.cases) {
    for (const label of labels) {
      for (const run of table.of(c, label)) {
        if (run.error !== undefined) continue;
        if (c.check !== undefined) {
          const verdict = checkAnswer(run.text, c.check, schemas.of(c.id));
          Object.assign(run, { pass: verdict.pass, score: verdict.pass ? 1 : 0, scoredBy: 'check' });
          if (!verdict.pass) run.failedCheck = verdict.reason;
          continue;
        }
        const against = c.expected ?? referenceAnswer(table, c, reference);
        // Without a judge, nothing scores these cases: the reference scoring itself 1 would favour it.
        if (judge === undefined) {
          clearJudgement(run);
        } else if (c.expected === undefined && label === reference) {
          clearJudgement(run);
          Object.assign(run, { score: 1, scoredBy: 'reference' });
        } else if (against === undefined) {
          clearJudgement(run);
          run.unjudged = `no reference answer: ${reference} did not answer this case`;
        } else if (run.judgedAgainst !== judge.keyOf(against, run.text) || run.scoredBy !== 'judge') {
          // A stale judgement is dropped now: if the evaluation stops before this one, none is shown.
          clearJudgement(run);
          pending.push({ run, question: conversationText(c.messages), against });
        }
      }
    }
  }
  let done = 0;
  await runPool(pending, scoring.concurrency, scoring.signal, async ({ run, question, against }) => {
    const judgement = await judge!.grade(question, against, run.text);
    if (judgement === undefined) return;
    if ('score' in judgement)
      Object.assign(run, { score: judgement.score, scoredBy: 'judge', judgedAgainst: judge!.keyOf(against, run.text) });
    else run.unjudged = judgement.problem;
    scoring.onJudged(++done, pending.length);
  });
}

function referenceAnswer(table: RunTable, c: EvalCase, reference: string): string | undefined {
  return table.of(c, reference).find((run) => run.error === undefined)?.text;
}

function clearJudgement(run: RunRecord): void {
  delete run.score;
  delete run.scoredBy;
  delete run.unjudged;
  delete run.judgedAgainst;
}
