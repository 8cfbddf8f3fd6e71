import type { ChatCompletion } from 'openai/resources/chat/completions';
import { addUsd, costOf, type TokenUsage } from '../catalog/costOf.js';
import { estimateTokens } from '../catalog/estimateTokens.js';
import { estimatePromptTokens } from '../routing/promptTokens.js';
import type { CachedAnswer } from '../cache/CachedAnswer.js';
import type { ModelEntry } from '../catalog/types.js';
import type { Call } from '../client/Call.js';
import type { Engine } from '../client/Engine.js';
import type { TieredChatResult } from '../client/requests.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';

/**
 * The price stage of a live answer: its usage (reported, or estimated when the provider sent none)
 * and its cost at the catalog's prices, in the form the cache keeps.
 */
export function price(
  call: Call,
  live: LiveDeployment,
  completion: ChatCompletion,
  /** What earlier answers of this call cost (poor answers escalated from). */
  extraUsd = 0,
): CachedAnswer {
  const { deployment } = live;
  const usage = usageOrEstimate(call, completion);
  return {
    completion,
    model: deployment.model.id,
    provider: deployment.provider,
    tier: deployment.tier,
    usage,
    usageEstimated: !reportsUsage(completion),
    costUsd: addUsd(costOf(usage, deployment.model), extraUsd),
  };
}

/** The account stage of a live answer: its result, counted in `client.metrics()`, and `request:end`. */
export function account(engine: Engine, call: Call, answer: CachedAnswer, ttftMs?: number): TieredChatResult {
  return finish(engine, call, answer, false, ttftMs);
}

/** The account stage of a call the cache answered: it cost nothing and saved what the answer once cost. */
export function accountHit(engine: Engine, call: Call, answer: CachedAnswer, ttftMs?: number): TieredChatResult {
  return finish(engine, call, answer, true, ttftMs);
}

/** Builds a successful call's result, counts it and emits `request:end`. */
function finish(engine: Engine, call: Call, answer: CachedAnswer, cached: boolean, ttftMs: number | undefined): TieredChatResult {
  // Built whole, in one shape for live and cached results alike: spreading a partial result into a
  // larger one was the costliest line of the hot path.
  const result: TieredChatResult = {
    completion: answer.completion,
    text: answer.completion.choices[0]?.message?.content ?? '',
    model: answer.model,
    provider: answer.provider,
    tier: answer.tier,
    cached,
    costUsd: cached ? 0 : answer.costUsd,
    savedUsd: cached ? answer.costUsd : 0,
    usage: answer.usage,
    usageEstimated: answer.usageEstimated,
    latencyMs: call.elapsedMs(),
    attempts: call.attempts,
    requestId: call.requestId,
  };
  record(engine, call, result, ttftMs);
  reportEnd(engine, call, result, ttftMs);
  return result;
}

/** Everything the model generated, for estimating its tokens: every choice's text, refusal and tool calls. */
function generatedText(completion: ChatCompletion): string {
  let text = '';
  for (const { message } of completion.choices) {
    text += (message?.content ?? '') + (message?.refusal ?? '');
    for (const call of message?.tool_calls ?? []) if (call.type === 'function') text += call.function.name + call.function.arguments;
  }
  return text;
}

/** Counts a successful call in `client.metrics()`. */
function record(engine: Engine, call: Call, result: TieredChatResult, ttftMs: number | undefined): void {
  engine.metrics.record({
    landing: result,
    ok: true,
    cached: result.cached,
    latencyMs: result.latencyMs,
    ttftMs,
    usage: result.usage,
    costUsd: result.costUsd,
    cacheSavedUsd: result.savedUsd,
    baselineUsd: costOf(result.usage, engine.settings.metrics.baseline),
    attempts: call.attempts,
  });
}

/** `request:end`, the last event of a successful call, built only when someone listens. */
function reportEnd(engine: Engine, call: Call, result: TieredChatResult, ttftMs: number | undefined): void {
  if (!engine.telemetry.wants('request:end')) return;
  engine.telemetry.emit('request:end', {
    requestId: call.requestId,
    model: result.model,
    provider: result.provider,
    tier: result.tier,
    latencyMs: result.latencyMs,
    ...(ttftMs === undefined ? {} : { ttftMs }),
    usage: result.usage,
    costUsd: result.costUsd,
    cached: result.cached,
    savedUsd: result.savedUsd,
    stream: call.stream,
    attempts: call.attempts,
    usageEstimated: result.usageEstimated,
    finishReasons: result.completion.choices.map((choice) => finishReason(engine, choice.finish_reason)),
    ...(engine.settings.captureContent ? { text: result.text } : {}),
  });
}

/** Tokens of a call whose provider reported none: the prompt as sent, and the text generated so far. */
export function estimatedUsage(call: Call, text: string): TokenUsage {
  return { inputTokens: estimatePromptTokens(call.params.messages), outputTokens: estimateTokens(text), cachedInputTokens: 0 };
}

/**
 * `request:error`, the last event of a failed call. `billed` is what a provider already generated
 * (an interrupted stream): its estimated cost is reported, never a silent zero.
 */
export function reportFailure(
  engine: Engine,
  call: Call,
  error: unknown,
  billed?: { readonly model: ModelEntry; readonly text: string },
): void {
  // The last place a failure passes before the caller and the listeners see it: scrubbed here, whatever path it took.
  engine.redactor.error(error);
  const costUsd = billed === undefined ? 0 : costOf(estimatedUsage(call, billed.text), billed.model);
  const latencyMs = call.elapsedMs(); // one reading, for the metrics and the event alike
  const last = call.attempts.at(-1);
  engine.metrics.record({
    landing: last === undefined ? undefined : { tier: last.tier, model: last.model, provider: last.provider },
    ok: false,
    cached: false,
    latencyMs,
    usage: undefined,
    costUsd,
    baselineUsd: costUsd,
    attempts: call.attempts,
  });
  if (!engine.telemetry.wants('request:error')) return;
  engine.telemetry.emit('request:error', {
    requestId: call.requestId,
    error,
    latencyMs,
    attempts: call.attempts,
    costUsd,
  });
}

/** The usage a completion reports, or an estimate when it reports none. */
export function usageOrEstimate(call: Call, completion: ChatCompletion): TokenUsage {
  const usage = completion.usage;
  if (usage === undefined || usage === null || !reportsUsage(completion)) return estimatedUsage(call, generatedText(completion));
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedInputTokens: isCount(cached) ? Math.min(cached, usage.prompt_tokens) : 0,
  };
}

/** True when the completion reports usage we can price. Counts that are not counts (a sloppy gateway's strings or negatives) are no usage at all: estimated. */
function reportsUsage(completion: ChatCompletion): boolean {
  const usage = completion.usage;
  return usage !== undefined && usage !== null && isCount(usage.prompt_tokens) && isCount(usage.completion_tokens);
}

function isCount(value: unknown): value is number {
  // Whole and safe: 1.8e303 tokens is no count either, and would price as Infinity.
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const knownFinishReasons: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

/** A finish reason for an event: the API's own as they are; anything else a provider made up, scrubbed. */
function finishReason(engine: Engine, reason: string): string {
  // Typed as a string, but a provider may send null: passed on as it came.
  return typeof reason !== 'string' || knownFinishReasons.has(reason) ? reason : engine.redactor.text(reason);
}
