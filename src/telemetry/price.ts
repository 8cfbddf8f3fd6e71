import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { Call } from '../call/Call.js';
import type { SideCall } from '../call/SideCall.js';
import { addUsd, costOf, type TokenUsage } from '../catalog/costOf.js';
import { estimateTokens } from '../catalog/estimateTokens.js';
import type { Deployment } from '../catalog/types.js';
import { estimatePromptTokens } from '../routing/promptTokens.js';

/**
 * The price step of a chat answer: its usage (reported, or estimated when the provider sent none)
 * and its cost at the catalog's prices, in the form the cache keeps. Another request kind
 * (embeddings, the Responses API) brings its own price step of this shape.
 */
export function priceChat(
  call: Call,
  deployment: Deployment,
  completion: ChatCompletion,
  /** What earlier answers of this call cost (poor answers escalated from). */
  extraUsd = 0,
): CachedAnswer {
  return pricedAnswer(deployment, completion, usageOrEstimate(call, completion), !reportsUsage(completion), extraUsd);
}

/**
 * An answer of any kind as the cache keeps it: `body` (what the provider sent) from `deployment`,
 * its usage, and its cost at the deployment's prices, plus `extraUsd` (earlier answers of the call).
 */
export function pricedAnswer(deployment: Deployment, body: object, usage: TokenUsage, usageEstimated: boolean, extraUsd = 0): CachedAnswer {
  return {
    completion: body as ChatCompletion,
    model: deployment.model.id,
    provider: deployment.provider,
    tier: deployment.tier,
    usage,
    usageEstimated,
    costUsd: addUsd(costOf(usage, deployment.model), extraUsd),
  };
}

/** Tokens of a call whose provider reported none: the prompt as sent, and the text generated so far. */
export function estimatedUsage(call: Call, text: string): TokenUsage {
  return { inputTokens: call.kind.promptTokens(call.params), outputTokens: estimateTokens(text), cachedInputTokens: 0 };
}

/** The usage a completion reports, or an estimate when it reports none. */
export function usageOrEstimate(call: Call, completion: ChatCompletion): TokenUsage {
  return usageOf(completion, call.params.messages);
}

/**
 * The price step of a side call's completion (the classifier's): what it reports, or an estimate of
 * the `messages` sent and the text it generated, at the deployment's catalog prices.
 */
export function priceSideCall(deployment: Deployment, completion: ChatCompletion, messages: readonly unknown[]): SideCall {
  const usage = usageOf(completion, messages);
  return { deployment, usage, costUsd: costOf(usage, deployment.model) };
}

function usageOf(completion: ChatCompletion, messages: readonly unknown[]): TokenUsage {
  const usage = completion.usage;
  if (usage === undefined || usage === null || !reportsUsage(completion)) {
    return { inputTokens: estimatePromptTokens(messages), outputTokens: estimateTokens(generatedText(completion)), cachedInputTokens: 0 };
  }
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedInputTokens: isTokenCount(cached) ? Math.min(cached, usage.prompt_tokens) : 0,
  };
}

/** Everything the model generated, for estimating its tokens: every choice's text, refusal and tool calls. */
function generatedText(completion: ChatCompletion): string {
  let text = '';
  for (const { message } of completion.choices) {
    text += (message?.content ?? '') + (message?.refusal ?? '');
    for (const toolCall of message?.tool_calls ?? [])
      if (toolCall.type === 'function') text += toolCall.function.name + toolCall.function.arguments;
  }
  return text;
}

/** True when the completion reports usage we can price. Counts that are not counts (a sloppy gateway's strings or negatives) are no usage at all: estimated. */
function reportsUsage(completion: ChatCompletion): boolean {
  const usage = completion.usage;
  return usage !== undefined && usage !== null && isTokenCount(usage.prompt_tokens) && isTokenCount(usage.completion_tokens);
}

/** True for a token count a provider reported that can be priced: every kind's price step checks its usage with it. */
export function isTokenCount(value: unknown): value is number {
  // Whole and safe: 1.8e303 tokens is no count either, and would price as Infinity.
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
