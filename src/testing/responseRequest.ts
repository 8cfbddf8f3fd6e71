import type { MockReply } from './MockReply.js';
import type { ResponseMemory } from './ResponseMemory.js';

/** What the mock needs of a valid `POST /v1/responses` body. */
export interface ResponseRequest {
  /** Characters of the input and instructions text, for the token estimate. */
  readonly inputChars: number;
}

/**
 * Checks a `POST /v1/responses` body the way OpenAI does for what the mock understands: `input`
 * a string or an array of input items, `instructions` a string, an array or null, and
 * `previous_response_id` a response this mock produced and remembers (else OpenAI's 400
 * `previous_response_not_found`). Says what is wrong as an error body's fields.
 */
export function checkResponseRequest(
  body: Record<string, unknown>,
  memory: ResponseMemory,
): ResponseRequest | { error: NonNullable<MockReply['error']> } {
  const { input, instructions, previous_response_id: previous } = body;
  if (input !== undefined && typeof input !== 'string' && !(Array.isArray(input) && input.every(isRecord))) {
    return { error: invalidType('input', 'a string or array of input items', input) };
  }
  if (instructions != null && typeof instructions !== 'string' && !(Array.isArray(instructions) && instructions.every(isRecord))) {
    return { error: invalidType('instructions', 'a string or array of input items', instructions) };
  }
  if (previous != null && typeof previous !== 'string') return { error: invalidType('previous_response_id', 'a string', previous) };
  if (typeof previous === 'string' && !memory.has(previous)) {
    const message = `Previous response with id '${previous}' not found.`;
    return { error: { message, param: 'previous_response_id', code: 'previous_response_not_found' } };
  }
  return { inputChars: textChars(input) + textChars(instructions) };
}

function invalidType(param: string, expected: string, value: unknown): NonNullable<MockReply['error']> {
  const got = Array.isArray(value) ? 'an array with an invalid item' : value === null ? 'null' : `a ${typeof value}`;
  return { message: `Invalid type for '${param}': expected ${expected}, but got ${got} instead.`, param, code: 'invalid_type' };
}

/**
 * Characters of the text in an input: a string, or the items' text (message content as a string
 * or `input_text` parts, function call arguments, function call outputs).
 */
export function textChars(input: unknown): number {
  if (typeof input === 'string') return input.length;
  if (!Array.isArray(input)) return 0;
  let chars = 0;
  for (const item of input.filter(isRecord)) {
    for (const field of [item['content'], item['arguments'], item['output']]) {
      if (typeof field === 'string') chars += field.length;
      else if (Array.isArray(field)) chars += field.reduce((sum: number, part) => sum + partChars(part), 0);
    }
  }
  return chars;
}

function partChars(part: unknown): number {
  return isRecord(part) && typeof part['text'] === 'string' ? part['text'].length : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
