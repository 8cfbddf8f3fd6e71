import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { AttemptErrorCode } from '../call/Attempt.js';

/** What makes an answer not good enough, with quality escalation on. */
export type PoorAnswer = Extract<AttemptErrorCode, 'empty_answer' | 'content_filtered' | 'invalid_json'>;

/**
 * Judges an answer for quality escalation: empty (no text, no tool call), content-filtered, or not
 * valid JSON when the request asked for JSON (`response_format` `json_schema` or `json_object`).
 * Returns why it is poor, or undefined when it will do. Validity against the schema itself is not
 * checked: that would need a JSON Schema validator the package does not carry.
 */
export function judgeAnswer(completion: ChatCompletion, responseFormat: unknown): PoorAnswer | undefined {
  const choice = completion.choices[0];
  if (choice === undefined) return 'empty_answer';
  if (choice.finish_reason === 'content_filter') return 'content_filtered';
  const { content, tool_calls: toolCalls } = choice.message;
  if ((content === null || content.trim() === '') && (toolCalls === undefined || toolCalls.length === 0)) return 'empty_answer';
  const format = (responseFormat as { type?: unknown } | null | undefined)?.type;
  if ((format === 'json_schema' || format === 'json_object') && content !== null && !isJson(content)) return 'invalid_json';
  return undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
