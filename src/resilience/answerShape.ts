import { APIError } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { InvalidResponseError } from './InvalidResponseError.js';

/*
 * What the pipeline relies on in an answer, checked before anything reads it. Only what our code
 * reads is checked: `choices: []` (Azure's first stream chunk) is fine, and so is any field we
 * pass through untouched. The rest stays the caller's to judge.
 */

/** Tool calls and choices per answer that the assembler will index: more is a hostile answer. */
const maxIndex = 1_024;

/**
 * Returns `body` as a completion, or throws: the `openai` error of the status a 200 body
 * `{ "error": ... }` names (it acts as that status), else `InvalidResponseError`.
 */
export function checkCompletion(body: unknown, headers: Headers): ChatCompletion {
  const problem = completionProblem(body);
  if (problem === undefined) return body as ChatCompletion;
  throw errorInBody(body, headers) ?? new InvalidResponseError(`The provider answered 200 with no chat completion: ${problem}.`);
}

/** Returns why `chunk` is not a chunk the stream can use, or undefined when it is. */
export function chunkProblem(chunk: unknown, choices: number): string | undefined {
  if (!isObject(chunk)) return `a chunk is ${kind(chunk)}, not an object`;
  const list = chunk['choices'];
  if (!Array.isArray(list)) return `a chunk has ${list === undefined ? 'no' : kind(list) + ' as'} choices`;
  const usage = chunk['usage'];
  if (usage !== undefined && usage !== null && !isObject(usage)) return `a chunk's usage is ${kind(usage)}`;
  for (const choice of list) {
    if (!isObject(choice)) return `a choice is ${kind(choice)}`;
    const index = choice['index'] ?? 0;
    if (!isIndex(index, choices)) return `a choice index is ${show(index)} (the request asked for ${choices})`;
    // Every reader, ours and the caller's (`chunk.choices[0]?.delta.content`), relies on a delta.
    const delta = choice['delta'];
    if (!isObject(delta)) return `a choice's delta is ${delta === undefined ? 'missing' : kind(delta)}`;
    const problem = messageProblem(delta, 'delta');
    if (problem !== undefined) return problem;
    const calls = delta['tool_calls'];
    if (calls !== undefined && calls !== null) {
      for (const call of calls as unknown[]) {
        if (!isObject(call) || !isIndex(call['index'] ?? 0, maxIndex)) return 'a streamed tool call is not indexed';
        const fn = call['function'];
        if (fn !== undefined && fn !== null && (!isObject(fn) || !optionalString(fn['name']) || !optionalString(fn['arguments'])))
          return 'a streamed tool call has a malformed function';
      }
    }
    if (!optionalString(choice['finish_reason'])) return `a finish_reason is ${kind(choice['finish_reason'])}`;
    const logprobs = choice['logprobs'];
    if (
      logprobs !== undefined &&
      logprobs !== null &&
      (!isObject(logprobs) || !optionalArray(logprobs['content']) || !optionalArray(logprobs['refusal']))
    )
      return "a choice's logprobs are malformed";
  }
  return undefined;
}

/** The `openai` error of a stream's chunk or event that is an error naming a status, if it is one. */
export function errorInBody(body: unknown, headers: Headers): APIError | undefined {
  if (!isObject(body) || body['error'] === undefined || body['error'] === null) return undefined;
  const status = namedStatus(body['error']) ?? namedStatus(body);
  if (status === undefined) return undefined;
  const error = isObject(body['error']) ? body['error'] : { message: String(body['error']) };
  return APIError.generate(status, { error }, undefined, headers);
}

function completionProblem(body: unknown): string | undefined {
  if (!isObject(body)) return `the body is ${kind(body)}`;
  const list = body['choices'];
  if (!Array.isArray(list)) {
    if (body['error'] !== undefined) return 'the body is an error object';
    return list === undefined ? 'the body has no choices' : `its choices are ${kind(list)}`;
  }
  for (const choice of list) {
    if (!isObject(choice)) return `a choice is ${kind(choice)}`;
    const message = choice['message'];
    if (!isObject(message)) return `a choice's message is ${kind(message)}`;
    const problem = messageProblem(message, 'message');
    if (problem !== undefined) return problem;
    const calls = message['tool_calls'];
    if (calls !== undefined && calls !== null) {
      for (const call of calls as unknown[]) {
        if (!isObject(call)) return `a tool call is ${kind(call)}`;
        const fn = call['function'];
        if (call['type'] === 'function' && (!isObject(fn) || typeof fn['name'] !== 'string' || typeof fn['arguments'] !== 'string'))
          return 'a function tool call has no name and arguments';
      }
    }
  }
  const usage = body['usage'];
  if (usage !== undefined && usage !== null && !isObject(usage)) return `its usage is ${kind(usage)}`;
  return undefined;
}

/** The text fields the pipeline concatenates, and `tool_calls` as a list. */
function messageProblem(message: Record<string, unknown>, name: string): string | undefined {
  if (!optionalString(message['content'])) return `a ${name}'s content is ${kind(message['content'])}`;
  if (!optionalString(message['refusal'])) return `a ${name}'s refusal is ${kind(message['refusal'])}`;
  const calls = message['tool_calls'];
  if (calls !== undefined && calls !== null && !Array.isArray(calls)) return `a ${name}'s tool_calls are ${kind(calls)}`;
  return undefined;
}

/** A status an error object names as `status` or `code` (a number, or digits): 400 to 599 only. */
export function namedStatus(value: unknown): number | undefined {
  if (!isObject(value)) return undefined;
  for (const key of ['status', 'code', 'status_code', 'statusCode']) {
    const field = value[key];
    const status = typeof field === 'number' ? field : typeof field === 'string' && /^\d{3}$/.test(field) ? Number(field) : NaN;
    if (Number.isInteger(status) && status >= 400 && status <= 599) return status;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown, below: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < below;
}

function optionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

function optionalArray(value: unknown): boolean {
  return value === undefined || value === null || Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : String(value).slice(0, 20);
}
