import { randomUUID } from 'node:crypto';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { walkMessages, type MessageVisitor } from '../call/messageParts.js';
import type { MockReply } from './MockReply.js';
import type { SseEvent } from './playStream.js';

type FinishReason = NonNullable<MockReply['finishReason']>;

/** Everything a completion needs, resolved once so the JSON and the SSE forms agree. */
export interface CompletionPlan {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly choices: number;
  readonly content: string | null;
  readonly toolCalls: ReadonlyArray<{ id: string; name: string; arguments: string }>;
  readonly finishReason: FinishReason;
  /** `undefined` when the reply reports no usage. */
  readonly usage: CompletionUsage | undefined;
}

/**
 * Resolves a reply's defaults against the request body it answers; `cachedTokens` is what the mock's
 * prompt cache found (a scripted `usage.cachedTokens` wins).
 */
export function planCompletion(reply: MockReply, model: string, body: Record<string, unknown>, cachedTokens = 0): CompletionPlan {
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? `call_${randomHex(24)}`,
    name: call.name,
    arguments: call.arguments,
  }));
  const content = reply.content ?? (toolCalls.length > 0 ? null : `Hello from ${model}.`);
  const choices = typeof body['n'] === 'number' && Number.isInteger(body['n']) && body['n'] > 1 ? body['n'] : 1;
  const generatedChars = (content?.length ?? 0) + toolCalls.reduce((sum, call) => sum + call.arguments.length, 0);
  const promptTokens = reply.usage?.promptTokens ?? Math.max(1, Math.ceil(messageChars(body['messages']) / 4));
  const completionTokens = reply.usage?.completionTokens ?? choices * Math.max(1, Math.ceil(generatedChars / 4));
  return {
    id: `chatcmpl-${randomHex(29)}`,
    created: Math.floor(Date.now() / 1000),
    model,
    choices,
    content,
    toolCalls,
    finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage:
      reply.usage === null
        ? undefined
        : {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
            prompt_tokens_details: { cached_tokens: reply.usage?.cachedTokens ?? Math.min(cachedTokens, promptTokens), audio_tokens: 0 },
            completion_tokens_details: {
              reasoning_tokens: 0,
              audio_tokens: 0,
              accepted_prediction_tokens: 0,
              rejected_prediction_tokens: 0,
            },
          },
  };
}

/** The non-streaming `chat.completion` object (OpenAPI `CreateChatCompletionResponse`). */
export function completionBody(plan: CompletionPlan): ChatCompletion {
  return {
    id: plan.id,
    object: 'chat.completion',
    created: plan.created,
    model: plan.model,
    choices: range(plan.choices).map((index) => ({
      index,
      message: {
        role: 'assistant',
        content: plan.content,
        refusal: null,
        annotations: [],
        ...(plan.toolCalls.length > 0 && {
          tool_calls: plan.toolCalls.map((call) => ({
            id: call.id,
            type: 'function' as const,
            function: { name: call.name, arguments: call.arguments },
          })),
        }),
      },
      logprobs: null,
      finish_reason: plan.finishReason,
    })),
    ...(plan.usage && { usage: plan.usage }),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

/**
 * The `chat.completion.chunk` objects of a streamed completion, in order: a role chunk per
 * choice, content then tool-call deltas of `chunkChars` characters, a finish chunk per choice,
 * and, when `withUsage`, a last chunk with `choices: []` and the usage (the others then carry
 * `usage: null`, as OpenAI does).
 */
export function streamEvents(plan: CompletionPlan, chunkChars: number, withUsage: boolean): SseEvent[] {
  const event = (kind: SseEvent['kind'], choices: ChatCompletionChunk['choices'], usage?: CompletionUsage): SseEvent => ({
    kind,
    data: {
      id: plan.id,
      object: 'chat.completion.chunk',
      created: plan.created,
      model: plan.model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
      ...(withUsage && { usage: usage ?? null }),
    },
  });
  const delta = (index: number, d: ChatCompletionChunk.Choice.Delta, finish: FinishReason | null = null) => [
    { index, delta: d, logprobs: null, finish_reason: finish },
  ];

  const events: SseEvent[] = [];
  for (const index of range(plan.choices)) {
    events.push(event('opening', delta(index, { role: 'assistant', content: plan.content === null ? null : '', refusal: null })));
  }
  for (const piece of splitText(plan.content ?? '', chunkChars)) {
    for (const index of range(plan.choices)) events.push(event('content', delta(index, { content: piece })));
  }
  plan.toolCalls.forEach((call, callIndex) => {
    const opening = { index: callIndex, id: call.id, type: 'function' as const, function: { name: call.name, arguments: '' } };
    for (const index of range(plan.choices)) events.push(event('content', delta(index, { tool_calls: [opening] })));
    for (const piece of splitText(call.arguments, chunkChars)) {
      const argumentsDelta = { index: callIndex, function: { arguments: piece } };
      for (const index of range(plan.choices)) events.push(event('content', delta(index, { tool_calls: [argumentsDelta] })));
    }
  });
  for (const index of range(plan.choices)) events.push(event('closing', delta(index, {}, plan.finishReason)));
  if (withUsage && plan.usage) events.push(event('closing', [], plan.usage));
  return events;
}

// A stable fingerprint makes it obvious in logs that an answer came from the mock.
const SYSTEM_FINGERPRINT = 'fp_mock_openai';

/** Characters of the text of `messages`: the mock's prompt is a quarter as many tokens. */
export function messageChars(messages: unknown): number {
  return Array.isArray(messages) ? walkMessages(messages, textChars, { chars: 0 }).chars : 0;
}

const textChars: MessageVisitor<{ chars: number }> = {
  text(state, text) {
    state.chars += text.length;
  },
};

/** `text` in pieces of `size` characters (the last one shorter), for streamed deltas. */
export function splitText(text: string, size: number): string[] {
  const step = Math.max(1, Math.floor(size));
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += step) pieces.push(text.slice(at, at + step));
  return pieces;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

/** Random lower-case hex, for ids shaped like OpenAI's. */
export function randomHex(length: number): string {
  let hex = '';
  while (hex.length < length) hex += randomUUID().replaceAll('-', '');
  return hex.slice(0, length);
}
