import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

/**
 * How an answer is checked, with no judge: every key given must pass, and the answer then scores 1
 * (else 0).
 */
export interface EvalCheck {
  /** The answer contains this text (each of these texts), case-sensitive. */
  readonly contains?: string | readonly string[];
  /** The answer, trimmed, equals this text. */
  readonly equals?: string;
  /** The answer matches this regular expression: `'^\\d+$'`, or `'/yes|no/i'` for flags. */
  readonly regex?: string;
  /** The answer is JSON: the whole answer, or one fenced ```json block in it. */
  readonly json?: true;
  /** The answer's JSON (as for `json`) is valid against this JSON Schema (checked with ajv, an optional peer). */
  readonly jsonSchema?: Readonly<Record<string, unknown>> | boolean;
}

/** One case as written in a cases file (a JSONL line or an element of a JSON array). */
export interface EvalCaseInput {
  /** Unique in the file: names the case in the report and in `--resume`. */
  readonly id: string;
  /** The conversation to send. Give `messages` or `prompt`, not both. */
  readonly messages?: readonly ChatCompletionMessageParam[];
  /** A single user message; shorthand for `messages: [{ role: 'user', content: prompt }]`. */
  readonly prompt?: string;
  /** The reference answer the judge grades against. */
  readonly expected?: string;
  /** Decides the score without a judge. */
  readonly check?: EvalCheck;
  /** Groups for the per-tag recommendation. */
  readonly tags?: readonly string[];
}

/** A validated case, as the engine runs it. */
export interface EvalCase {
  /** Unique among the cases. */
  readonly id: string;
  /** The conversation sent (a `prompt` becomes one user message). */
  readonly messages: readonly ChatCompletionMessageParam[];
  /** The reference answer the judge grades against. */
  readonly expected?: string;
  /** Decides the score without a judge. */
  readonly check?: EvalCheck;
  /** Groups for the per-tag recommendation; `[]` when none. */
  readonly tags: readonly string[];
  /** A hash of the messages: what decides the answers (see `EvalCaseResult.hash`). */
  readonly hash: string;
  /** Where the case was read, for errors: `cases.jsonl line 3`, or `cases[2]`. */
  readonly source: string;
}
