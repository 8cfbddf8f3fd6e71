import { DEMO_SCRIPT, type DemoScriptedCase } from './demoScript.js';

/** What the demo's judge says when it rambles instead of scoring: no number, so no parsable score. */
export const RAMBLING_JUDGEMENT = 'I would say it is fairly good, though the working could be shown more clearly.';

const REASONS: Readonly<Record<number, string>> = {
  1: 'It says what the reference says.',
  0.75: 'Correct, but it misses a detail of the reference.',
  0.5: 'The core is right, but an important part is missing.',
  0.25: 'Mostly wrong, with something of value.',
  0: 'Wrong or off the point.',
};

/**
 * The demo judge's reply to one judge request (the user message of `judgeMessages`): the grade the
 * script gives that answer of that case, as `{"score", "reason"}` JSON, or the rambling for the one
 * answer scripted to get no parsable score. An answer the script does not know (or a case it cannot
 * find) is graded by word overlap with the reference, rounded to quarters, so every grade is
 * deterministic.
 */
export function judgeReply(judgeRequest: string): string {
  const question = section(judgeRequest, 'question');
  const reference = section(judgeRequest, 'reference');
  const answer = section(judgeRequest, 'answer');
  const grade = answer === reference ? 1 : (scriptedGrade(question, answer) ?? overlapGrade(answer, reference));
  if (grade === 'rambles') return RAMBLING_JUDGEMENT;
  return JSON.stringify({ score: grade, reason: REASONS[grade] ?? 'Graded by overlap with the reference.' });
}

function scriptedGrade(question: string, answer: string): number | 'rambles' | undefined {
  const scripted = caseAsked(question);
  if (scripted === undefined) return undefined;
  return Object.values(scripted.answers).find((candidate) => candidate.text.trim() === answer)?.grade;
}

/** The case whose question the judge was shown: the longest case prompt the question holds. */
function caseAsked(question: string): DemoScriptedCase | undefined {
  let found: DemoScriptedCase | undefined;
  let longest = 0;
  for (const scripted of DEMO_SCRIPT) {
    const prompt = lastUserText(scripted);
    if (prompt.length > longest && question.includes(prompt)) [found, longest] = [scripted, prompt.length];
  }
  return found;
}

/** The text of a shipped case's last user message, by which its requests are recognised. */
export function lastUserText(scripted: DemoScriptedCase): string {
  const { prompt, messages } = scripted.case;
  if (prompt !== undefined) return prompt;
  const content = messages?.findLast((message) => message.role === 'user')?.content;
  return typeof content === 'string' ? content : '';
}

function section(text: string, tag: string): string {
  const start = text.indexOf(`<${tag}>\n`);
  const end = text.lastIndexOf(`\n</${tag}>`);
  return start === -1 || end < start ? '' : text.slice(start + tag.length + 3, end).trim();
}

function overlapGrade(answer: string, reference: string): number {
  const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}$]+/gu) ?? []);
  const wanted = words(reference);
  if (wanted.size === 0) return 0;
  const given = words(answer);
  const shared = [...wanted].filter((word) => given.has(word)).length;
  return Math.round((shared / wanted.size) * 4) / 4;
}
