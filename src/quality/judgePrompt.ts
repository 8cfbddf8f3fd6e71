import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

/**
 * The rubric an LLM judge grades with (`tiered-llm eval --judge`, and shadow sampling without a judge
 * function), sent as its system message: a user should know what a score means before trusting a
 * recommendation built on it.
 */
export const JUDGE_RUBRIC = `You grade an AI assistant's answer against a reference answer.
Score how well the answer serves the user who asked the question, as a number from 0 to 1:
1.0 correct and complete: it says what the reference says (in any words or order);
0.75 correct, but misses a detail the reference gives or adds an irrelevant one;
0.5 partly correct: the core is right, but an important part is missing or wrong;
0.25 mostly wrong or off the point, with something of value;
0 wrong, empty, a refusal, or about something else.
Judge substance, not style or length. The reference may be terse: an answer that is longer but right is not worse.
Reply with one JSON object and nothing else: {"score": <0..1>, "reason": "<one sentence>"}`;

/** The judge's messages for one answer: the rubric, then the question, the reference and the answer, fenced. */
export function judgeMessages(question: string, reference: string, answer: string): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: JUDGE_RUBRIC },
    {
      role: 'user',
      content: `<question>\n${question}\n</question>\n<reference>\n${reference}\n</reference>\n<answer>\n${answer}\n</answer>`,
    },
  ];
}
