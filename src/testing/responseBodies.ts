import type {
  Response,
  ResponseError,
  ResponseFunctionToolCall,
  ResponseOutputMessage,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import { randomHex } from './completionBodies.js';
import type { MockReply } from './MockReply.js';

/**
 * A `Response` as the API sends it: `output_text` is added by openai's client, never sent, and
 * `store` is sent though openai's type leaves it out.
 */
export type ResponseObject = Omit<Response, 'output_text'> & { store: boolean };

/** Everything a response needs, resolved once so the JSON and the SSE forms agree. */
export interface ResponsePlan {
  readonly id: string;
  readonly createdAt: number;
  readonly model: string;
  /** The request body, whose settings the response echoes as OpenAI's do. */
  readonly request: Readonly<Record<string, unknown>>;
  /** The assistant message, `undefined` when the reply has tool calls and no content. */
  readonly message: { readonly id: string; readonly text: string } | undefined;
  readonly functionCalls: ReadonlyArray<{ id: string; callId: string; name: string; arguments: string }>;
  /** Why the response stops short (`finishReason` `'length'` or `'content_filter'`), if it does. */
  readonly incomplete: 'max_output_tokens' | 'content_filter' | undefined;
  /** `undefined` when the reply reports no usage. */
  readonly usage: ResponseUsage | undefined;
}

/**
 * Resolves a reply's defaults against the request it answers. Tokens are estimated as for chat
 * completions: ceil(characters / 4), at least 1, of the input and instructions (`inputChars`) and
 * of the output text and function-call arguments.
 */
export function planResponse(
  reply: MockReply,
  model: string,
  request: Record<string, unknown>,
  inputChars: number,
  /** What the mock's prompt cache found; a scripted `usage.cachedTokens` wins. */
  cachedTokens = 0,
): ResponsePlan {
  const functionCalls = (reply.toolCalls ?? []).map((call) => ({
    id: `fc_${randomHex(48)}`,
    callId: call.id ?? `call_${randomHex(24)}`,
    name: call.name,
    arguments: call.arguments,
  }));
  const text = reply.content ?? (functionCalls.length > 0 ? undefined : `Hello from ${model}.`);
  const generatedChars = (text?.length ?? 0) + functionCalls.reduce((sum, call) => sum + call.arguments.length, 0);
  const inputTokens = reply.usage?.promptTokens ?? Math.max(1, Math.ceil(inputChars / 4));
  const outputTokens = reply.usage?.completionTokens ?? Math.max(1, Math.ceil(generatedChars / 4));
  // The description requires cache_write_tokens, which openai 6.30's types do not know yet.
  const usage: ResponseUsage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: reply.usage?.cachedTokens ?? Math.min(cachedTokens, inputTokens), ...{ cache_write_tokens: 0 } },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + outputTokens,
  };
  return {
    id: `resp_${randomHex(48)}`,
    createdAt: Math.floor(Date.now() / 1000),
    model,
    request,
    message: text === undefined ? undefined : { id: `msg_${randomHex(48)}`, text },
    functionCalls,
    incomplete: INCOMPLETE_REASONS[reply.finishReason ?? 'stop'],
    usage: reply.usage === null ? undefined : usage,
  };
}

const INCOMPLETE_REASONS = {
  stop: undefined,
  tool_calls: undefined,
  length: 'max_output_tokens',
  content_filter: 'content_filter',
} as const satisfies Record<NonNullable<MockReply['finishReason']>, ResponsePlan['incomplete']>;

/**
 * The `response` object (OpenAPI `Response`) at one stage of its life: `'in_progress'` as the
 * stream's first events carry it (no output, no usage), `'final'` once done (`completed`, or
 * `incomplete` with its reason), or `'failed'` with `error`.
 */
export function responseBody(plan: ResponsePlan, stage: 'in_progress' | 'final' | 'failed', error?: ResponseError): ResponseObject {
  const final = stage === 'final';
  const status = stage === 'final' ? (plan.incomplete === undefined ? 'completed' : 'incomplete') : stage;
  return {
    id: plan.id,
    object: 'response',
    created_at: plan.createdAt,
    status,
    background: false,
    completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: error ?? null,
    incomplete_details: final && plan.incomplete !== undefined ? { reason: plan.incomplete } : null,
    model: plan.model,
    output: final
      ? [...(plan.message ? [messageItem(plan, 'done')] : []), ...plan.functionCalls.map((call) => functionCallItem(call, 'done'))]
      : [],
    ...(final && plan.usage && { usage: plan.usage }),
    ...echoedSettings(plan.request),
  };
}

/** The assistant message item, empty as `response.output_item.added` announces it, or whole. */
export function messageItem(plan: ResponsePlan, stage: 'added' | 'done'): ResponseOutputMessage {
  const message = plan.message ?? { id: `msg_${randomHex(48)}`, text: '' };
  const status = stage === 'added' ? 'in_progress' : plan.incomplete === undefined ? 'completed' : 'incomplete';
  return {
    id: message.id,
    type: 'message',
    status,
    role: 'assistant',
    content: stage === 'added' ? [] : [outputText(message.text)],
  };
}

/** An `output_text` content part. */
export function outputText(text: string): ResponseOutputMessage['content'][number] {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** A `function_call` item, with no arguments yet as `response.output_item.added` announces it, or whole. */
export function functionCallItem(call: ResponsePlan['functionCalls'][number], stage: 'added' | 'done'): ResponseFunctionToolCall {
  return {
    id: call.id,
    type: 'function_call',
    status: stage === 'added' ? 'in_progress' : 'completed',
    call_id: call.callId,
    name: call.name,
    arguments: stage === 'added' ? '' : call.arguments,
  };
}

/** The request's settings as a response echoes them, OpenAI's defaults where the request set none. */
function echoedSettings(request: Readonly<Record<string, unknown>>) {
  // The request passed the mock's checks, not a full validation: its values are echoed as sent.
  const field = <T>(name: string, fallback: T): T => (request[name] ?? fallback) as T;
  return {
    instructions: field<Response['instructions']>('instructions', null),
    max_output_tokens: field<number | null>('max_output_tokens', null),
    metadata: field<Response['metadata']>('metadata', {}),
    parallel_tool_calls: field('parallel_tool_calls', true),
    previous_response_id: field<string | null>('previous_response_id', null),
    reasoning: field<Exclude<Response['reasoning'], undefined>>('reasoning', { effort: null, summary: null }),
    service_tier: 'default' as const,
    store: field('store', true),
    temperature: field('temperature', 1),
    text: field<NonNullable<Response['text']>>('text', { format: { type: 'text' } }),
    tool_choice: field<Response['tool_choice']>('tool_choice', 'auto'),
    tools: field<Response['tools']>('tools', []),
    top_p: field('top_p', 1),
    truncation: field<Exclude<Response['truncation'], undefined>>('truncation', 'disabled'),
  };
}
