import { createHash } from 'node:crypto';
import type { TieredClient, TieredRequestOptions } from 'tiered-llm';
import type { EvalJudgeSummary } from '../EvalReport.js';
import { sumUsd } from '../run/RunRecord.js';
import { judgeMessages, parseScore, type ParsedScore } from 'tiered-llm';

/** A judgement: the score, or why there is none (the answer is then unjudged, not 0). */
export type Judgement = ParsedScore;

/**
 * The LLM judge: grades an answer against a reference with the rubric of `JUDGE_RUBRIC`, on its own
 * model only (no fallback: another model would grade by another standard), and keeps its own spend
 * apart from the models'.
 */
export class Judge {
  readonly #costs: number[] = [];
  #calls = 0;
  #unjudged = 0;
  readonly #options: TieredRequestOptions;

  /**
   * @param model the judge as given (a tier or a model id), as the report names it
   * @param sendTo the model id that grades: a tier's first model, so that one standard grades every answer
   */
  constructor(
    private readonly client: TieredClient,
    readonly model: string,
    private readonly sendTo: string,
    signal: AbortSignal | undefined,
  ) {
    this.#options = { fallback: 'none', cache: false, qualityEscalation: false, ...(signal === undefined ? {} : { signal }) };
  }

  /** What a judgement of `answer` against `reference` depends on: reused by `--resume` while unchanged. */
  keyOf(reference: string, answer: string): string {
    return createHash('sha256').update(`${this.sendTo}\u0000${reference}\u0000${answer}`).digest('hex').slice(0, 16);
  }

  /** Grades one answer; resolves `undefined` when the evaluation was aborted. */
  async grade(question: string, reference: string, answer: string): Promise<Judgement | undefined> {
    this.#calls++;
    try {
      const result = await this.client.tieredChat(
        { model: this.sendTo, messages: judgeMessages(question, reference, answer) },
        this.#options,
      );
      this.#costs.push(result.costUsd);
      const parsed = parseScore(result.text);
      if ('problem' in parsed) this.#unjudged++;
      return parsed;
    } catch (error) {
      if (this.#options.signal?.aborted === true) return undefined;
      this.#unjudged++;
      return { problem: `the judge failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** The judge's own spend and how many judgements it was asked for (this run's, not reused ones). */
  summary(): EvalJudgeSummary {
    return { model: this.model, costUsd: sumUsd(this.#costs), calls: this.#calls, unjudged: this.#unjudged };
  }
}
