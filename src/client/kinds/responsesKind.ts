import type { Response, ResponseCreateParams } from 'openai/resources/responses/responses';
import type { RequestKind } from '../../call/RequestKind.js';
import { estimateTokens } from '../../catalog/estimateTokens.js';
import type { Capability } from '../../catalog/types.js';
import { ConfigError } from '../../errors/ConfigError.js';
import { showValue } from '../../errors/showValue.js';

/** `responses.create()` (and `openai`'s `responses.stream()` and `parse()` over it), priced from its `usage`. */
export const responsesKind: RequestKind = Object.freeze({
  operation: 'responses',
  checkParams,
  promptTokens: (params: object) => estimateTokens(inputText(params as ResponseCreateParams)),
  maxOutputTokens: (params: object) => (params as ResponseCreateParams).max_output_tokens ?? undefined,
  needs: (params: object) => needsOf(params as ResponseCreateParams),
  text: (body: object) => responseText(body as Response),
  finishReasons: (body: object) => [finishReason(body as Response)],
  storable: (body: object) => (body as Response).status === 'completed',
  // A stateful request's answer depends on state the key does not see; a stream is not replayed from the cache.
  cacheable: (params: object) => !isStateful(params) && (params as ResponseCreateParams).stream !== true,
  isAnswer: (body: unknown) =>
    typeof body === 'object' && body !== null && (body as Response).object === 'response' && Array.isArray((body as Response).output),
});

/**
 * True for a request that continues state the provider keeps: `previous_response_id`, or a
 * `conversation`. It goes to the deployment that holds that state, and is never cached.
 */
function isStateful(params: object): boolean {
  const { previous_response_id: previous, conversation } = params as ResponseCreateParams;
  return (typeof previous === 'string' && previous !== '') || (conversation !== undefined && conversation !== null);
}

/** The answer's text: `output_text` when `openai` added it, else the text of its message items. */
function responseText(response: Response): string {
  if (typeof response.output_text === 'string') return response.output_text;
  let text = '';
  for (const item of response.output ?? []) {
    if (item?.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content) if (part?.type === 'output_text' && typeof part.text === 'string') text += part.text;
  }
  return text;
}

/** Everything the model generated, for estimating its tokens: text, refusals and function call arguments. */
export function generatedText(response: Response): string {
  let text = '';
  for (const item of response.output ?? []) {
    if (item?.type === 'function_call') text += item.name + item.arguments;
    else if (item?.type === 'message' && Array.isArray(item.content))
      for (const part of item.content) text += part.type === 'output_text' ? part.text : part.type === 'refusal' ? part.refusal : '';
  }
  return text;
}

/** The status as a chat finish reason: what `request:end` reports and dashboards already know. */
function finishReason(response: Response): string {
  if (response.status === 'completed') return 'stop';
  if (response.status !== 'incomplete') return String(response.status);
  const reason = response.incomplete_details?.reason;
  return reason === 'max_output_tokens' ? 'length' : (reason ?? 'incomplete');
}

/** As chat's (routing/requiredCapabilities.ts): `tools` for any tool, the format of `text`, `vision` for an input image. */
function needsOf(params: ResponseCreateParams): Capability[] {
  const needs: Capability[] = [];
  if (Array.isArray(params.tools) && params.tools.length > 0) needs.push('tools');
  const format = (params.text?.format as { type?: unknown } | null | undefined)?.type;
  if (format === 'json_schema' || format === 'json_object') needs.push(format);
  if (Array.isArray(params.input) && params.input.some(hasImage)) needs.push('vision');
  return needs;
}

function hasImage(item: unknown): boolean {
  const content = typeof item === 'object' && item !== null ? (item as { content?: unknown }).content : undefined;
  return Array.isArray(content) && content.some((part) => (part as { type?: unknown } | null)?.type === 'input_image');
}

/** The text of the input items and the instructions, as the mock and the budget estimate it. */
function inputText(params: ResponseCreateParams): string {
  return textOf(params.input) + textOf(params.instructions);
}

function textOf(input: unknown): string {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return '';
  let text = '';
  for (const item of input as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { content, arguments: args, output } = item as Record<string, unknown>;
    for (const field of [content, args, output]) {
      if (typeof field === 'string') text += field;
      else if (Array.isArray(field))
        for (const part of field as unknown[]) {
          const partText = typeof part === 'object' && part !== null ? (part as { text?: unknown }).text : undefined;
          if (typeof partText === 'string') text += partText;
        }
    }
  }
  return text;
}

const hint = 'Pass the same parameters as to openai.responses.create().';

/**
 * `model` a non-empty string; `input` a string or an array of input items, or left out when a
 * `previous_response_id`, `conversation` or `prompt` says what to answer; `stream` a boolean.
 */
function checkParams(params: unknown): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new ConfigError('params', `must be an object, got ${showValue(params)}`, hint);
  const { model, input, stream, previous_response_id: previous, conversation, prompt } = params as Record<string, unknown>;
  if (typeof model !== 'string' || model === '') {
    throw new ConfigError(
      'params.model',
      `must be a tier name or the id of a catalog model with the capability 'responses', got ${showValue(model)}`,
      "E.g. model: 'hot'.",
    );
  }
  if (input === undefined || input === null) {
    if ((previous === undefined || previous === null) && (conversation === undefined || conversation === null) && prompt == null)
      throw new ConfigError('params.input', 'is missing', "E.g. input: 'Hello!', or a previous_response_id to continue from.");
  } else if (typeof input !== 'string' && !Array.isArray(input)) {
    throw new ConfigError('params.input', `must be a string or an array of input items, got ${showValue(input)}`, hint);
  }
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean')
    throw new ConfigError('params.stream', `must be a boolean, got ${showValue(stream)}`, hint);
  if (previous !== undefined && previous !== null && typeof previous !== 'string')
    throw new ConfigError('params.previous_response_id', `must be a string, got ${showValue(previous)}`, hint);
}
