/** What `json` checks read from an answer: a parsed value, or why there is none. */
export type AnswerJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

const fence = /```json[^\S\r\n]*\r?\n([\s\S]*?)\r?\n?```/gi;

/**
 * The JSON of an answer: the whole answer (trimmed), or else the one fenced ```json block in it.
 * Two fenced blocks are ambiguous, and fail: which one would the application read?
 */
export function answerJson(text: string): AnswerJson {
  const whole = parse(text.trim());
  if (whole.ok) return whole;
  const blocks = [...text.matchAll(fence)];
  if (blocks.length === 0) return { ok: false, problem: 'the answer is not JSON and holds no ```json block' };
  if (blocks.length > 1) return { ok: false, problem: `the answer holds ${blocks.length} \`\`\`json blocks, not one` };
  const inner = parse(blocks[0]![1]!.trim());
  return inner.ok ? inner : { ok: false, problem: `its \`\`\`json block is not valid JSON (${inner.problem})` };
}

function parse(text: string): AnswerJson {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
}
