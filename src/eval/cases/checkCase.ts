import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { EvalCase, EvalCaseInput, EvalCheck } from '../EvalCase.js';
import { caseHash } from './caseHash.js';
import { caseError, shown } from './caseError.js';

const caseKeys = ['id', 'messages', 'prompt', 'expected', 'check', 'tags'];
const checkKeys = ['contains', 'equals', 'regex', 'json', 'jsonSchema'];
const roles = ['system', 'developer', 'user', 'assistant', 'tool'];

/**
 * One case from a cases file, validated: `where` names it in every error (`cases.jsonl line 3`).
 * @throws ConfigError naming the line and the field.
 */
export function checkCase(input: unknown, where: string): EvalCase {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw caseError(
      where,
      '',
      `must be an object, got ${shown(input)}`,
      'Write one JSON object per case: { "id": "...", "prompt": "..." }.',
    );
  const value = input as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (!caseKeys.includes(key)) throw caseError(where, key, 'is not a field of a case', `Fields of a case: ${caseKeys.join(', ')}.`);
  }
  const id = value['id'];
  if (typeof id !== 'string' || id.trim() === '')
    throw caseError(where, 'id', `must be a non-empty string, got ${shown(id)}`, 'Give every case a unique id.');
  const messages = caseMessages(value, where);
  const expected = value['expected'];
  if (expected !== undefined && typeof expected !== 'string')
    throw caseError(where, 'expected', `must be a string, got ${shown(expected)}`, 'Write the reference answer as text.');
  const check = value['check'] === undefined ? undefined : checkOf(value['check'], where);
  const tags = tagsOf(value['tags'], where);
  const out = { id, messages, tags, ...(expected === undefined ? {} : { expected }), ...(check === undefined ? {} : { check }) };
  return { ...out, hash: caseHash(out), source: where };
}

function caseMessages(value: Record<string, unknown>, where: string): readonly ChatCompletionMessageParam[] {
  const { prompt, messages } = value as EvalCaseInput & Record<string, unknown>;
  if ((prompt === undefined) === (messages === undefined))
    throw caseError(
      where,
      'prompt',
      'give either "prompt" or "messages", not both and not neither',
      'A single question: "prompt": "..."; a conversation: "messages": [...].',
    );
  if (prompt !== undefined) {
    if (typeof prompt !== 'string' || prompt.trim() === '')
      throw caseError(where, 'prompt', `must be a non-empty string, got ${shown(prompt)}`, 'Write the question as text.');
    return [{ role: 'user', content: prompt }];
  }
  if (!Array.isArray(messages) || messages.length === 0)
    throw caseError(
      where,
      'messages',
      `must be a non-empty array of messages, got ${shown(messages)}`,
      'As in the chat API: [{ "role": "user", "content": "..." }].',
    );
  messages.forEach((message: unknown, index) => {
    const field = `messages[${index}]`;
    if (typeof message !== 'object' || message === null || Array.isArray(message))
      throw caseError(
        where,
        field,
        `must be an object, got ${shown(message)}`,
        'As in the chat API: { "role": "user", "content": "..." }.',
      );
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== 'string' || !roles.includes(role))
      throw caseError(where, `${field}.role`, `must be one of ${roles.join(', ')}, got ${shown(role)}`, 'Use a chat API role.');
    const toolCalls = (message as Record<string, unknown>)['tool_calls'];
    if (!(typeof content === 'string' || Array.isArray(content) || (role === 'assistant' && content == null && Array.isArray(toolCalls))))
      throw caseError(
        where,
        `${field}.content`,
        `must be a string or an array of parts, got ${shown(content)}`,
        'Write the message text as a string.',
      );
  });
  return messages as ChatCompletionMessageParam[];
}

function checkOf(check: unknown, where: string): EvalCheck {
  if (typeof check !== 'object' || check === null || Array.isArray(check))
    throw caseError(where, 'check', `must be an object, got ${shown(check)}`, 'For example { "contains": "refund" } or { "json": true }.');
  const value = check as Record<string, unknown>;
  const keys = Object.keys(value);
  if (keys.length === 0) throw caseError(where, 'check', 'is empty', `Give at least one of: ${checkKeys.join(', ')}.`);
  for (const key of keys) {
    if (!checkKeys.includes(key))
      throw caseError(where, `check.${key}`, 'is not a kind of check', `Kinds of check: ${checkKeys.join(', ')}.`);
  }
  const { contains, equals, regex, json, jsonSchema } = value;
  if (
    contains !== undefined &&
    !(typeof contains === 'string' || (Array.isArray(contains) && contains.length > 0 && contains.every((c) => typeof c === 'string')))
  )
    throw caseError(
      where,
      'check.contains',
      `must be a string or a non-empty array of strings, got ${shown(contains)}`,
      'For example "refund" or ["refund", "30 days"].',
    );
  if (equals !== undefined && typeof equals !== 'string')
    throw caseError(where, 'check.equals', `must be a string, got ${shown(equals)}`, 'The exact answer, compared after trimming.');
  if (regex !== undefined) checkRegex(regex, where);
  if (json !== undefined && json !== true)
    throw caseError(where, 'check.json', `must be true, got ${shown(json)}`, 'Write "json": true, or leave it out.');
  if (
    jsonSchema !== undefined &&
    typeof jsonSchema !== 'boolean' &&
    (typeof jsonSchema !== 'object' || jsonSchema === null || Array.isArray(jsonSchema))
  )
    throw caseError(
      where,
      'check.jsonSchema',
      `must be a JSON Schema object, got ${shown(jsonSchema)}`,
      'For example { "type": "object", "required": ["name"] }.',
    );
  return value as EvalCheck;
}

function checkRegex(regex: unknown, where: string): void {
  if (typeof regex !== 'string' || regex === '')
    throw caseError(
      where,
      'check.regex',
      `must be a non-empty string, got ${shown(regex)}`,
      "A pattern such as '^\\\\d+$', or '/yes|no/i' with flags.",
    );
  try {
    regexOf(regex);
  } catch (error) {
    throw caseError(
      where,
      'check.regex',
      `is not a valid regular expression (${(error as Error).message})`,
      'Fix the pattern; in JSON a backslash is written \\\\.',
    );
  }
}

/** `'/pattern/flags'` or a bare pattern, as a `RegExp`. */
export function regexOf(source: string): RegExp {
  const slashed = /^\/(.+)\/([dgimsuvy]*)$/s.exec(source);
  return slashed === null ? new RegExp(source) : new RegExp(slashed[1]!, slashed[2]);
}

function tagsOf(tags: unknown, where: string): readonly string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string' && tag !== ''))
    throw caseError(where, 'tags', `must be an array of non-empty strings, got ${shown(tags)}`, 'For example ["faq", "billing"].');
  return [...new Set(tags as string[])];
}
