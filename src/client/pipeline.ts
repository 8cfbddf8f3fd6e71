import { APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import pRetry, { type Options as RetryLoopOptions, type RetryContext } from 'p-retry';
import { costOf, type TokenUsage } from '../catalog/costOf.js';
import { estimatePromptTokens, estimateTokens } from '../catalog/estimateTokens.js';
import { AllModelsFailedError } from '../errors/AllModelsFailedError.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { Attempt, AttemptErrorCode } from '../resilience/Attempt.js';
import { AttemptScope } from '../resilience/AttemptScope.js';
import { backoffDelay } from '../resilience/backoff.js';
import { classifyFailure, type Failure } from '../resilience/classifyFailure.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { sleep } from '../resilience/sleep.js';
import { Call } from './Call.js';
import type { Engine } from './Engine.js';
import type { TieredChatParams, TieredChatResult, TieredRequestOptions } from './requests.js';

/*
 * The request pipeline. Every call goes through these stages, in this order:
 *
 *   1. open     give the call an id and an abort scope (caller's signal + deadline); `request:start`
 *   2. route    the model field (tier, model id, 'auto') -> the deployments to try, fallbacks included
 *   3. fallback walk the candidates: skip those cooling down or behind an open breaker, try the others
 *   4. retry    per deployment, p-retry: backoff with jitter or the provider's `retry-after`
 *   5. breaker  per try, the deployment's opossum breaker
 *   6. call     one upstream request under its own time limit (AttemptScope)
 *   7. account  usage and cost; `request:end` (or `request:error`) with the audit trail
 */
export async function runChat(engine: Engine, params: TieredChatParams, options: TieredRequestOptions = {}): Promise<TieredChatResult> {
  const call = open(engine, params, options);
  try {
    const candidates = await route(engine, call);
    const { live, completion } = await fallback(engine, call, candidates);
    return account(engine, call, live, completion);
  } catch (error) {
    reportFailure(engine, call, error);
    throw error;
  } finally {
    call.scope.dispose();
  }
}

function open(engine: Engine, params: TieredChatParams, options: TieredRequestOptions): Call {
  if (engine.closed) throw new ConfigError('client', 'is closed', 'Create a new client; close() is final.');
  if (typeof params !== 'object' || params === null)
    throw new ConfigError('params', 'must be an object', 'Pass the same parameters as to openai.chat.completions.create().');
  if (params.stream === true)
    throw new ConfigError('params.stream', 'streaming is not available in this version', 'Call without stream: true.');
  const call = new Call(params, options ?? {}, engine.settings);
  const { telemetry } = engine;
  if (telemetry.wants('request:start')) {
    telemetry.emit('request:start', {
      requestId: call.requestId,
      requested: call.requested,
      stream: call.stream,
      metadata: options?.metadata,
      ...(engine.settings.captureContent ? { messages: params.messages } : {}),
    });
  }
  return call;
}

async function route(engine: Engine, call: Call): Promise<readonly LiveDeployment[]> {
  let name: string = call.requested;
  if (name === 'auto') {
    const { router } = engine.settings;
    if (router === undefined)
      throw new ConfigError('model', "'auto' needs a router", 'Pass router: (request) => tier to createTieredClient(), or name a tier.');
    name = await router(call.params as Parameters<typeof router>[0]);
    if (!engine.settings.catalog.tiers.includes(name)) {
      throw new ConfigError(
        'router',
        `returned '${String(name)}', which is not a tier`,
        `Return one of: ${engine.settings.catalog.tiers.join(', ')}.`,
      );
    }
  }
  const candidates = typeof name === 'string' ? engine.routes.get(name) : undefined;
  if (candidates === undefined) {
    throw new ConfigError(
      'model',
      `'${String(name)}' is not a tier, a model id of the catalog, or 'auto'`,
      `Use a tier (${engine.settings.catalog.tiers.join(', ')}), a catalog model id, or 'auto'.`,
    );
  }
  return candidates;
}

interface Answer {
  readonly live: LiveDeployment;
  readonly completion: ChatCompletion;
}

async function fallback(engine: Engine, call: Call, candidates: readonly LiveDeployment[]): Promise<Answer> {
  let previous: { readonly model: string; readonly reason: AttemptErrorCode } | undefined;
  for (const live of candidates) {
    const { model, provider } = live.deployment;
    if (previous !== undefined && engine.telemetry.wants('fallback')) {
      engine.telemetry.emit('fallback', { requestId: call.requestId, from: previous.model, to: model.id, reason: previous.reason });
    }
    const skip = live.coolingDown(Date.now()) ? 'cooling_down' : live.rejecting ? 'breaker_open' : undefined;
    if (skip !== undefined) {
      call.attempts.push({ model: model.id, provider, tier: live.deployment.tier, outcome: 'skipped', errorCode: skip, latencyMs: 0 });
      previous = { model: model.id, reason: skip };
      continue;
    }
    const run = new DeploymentRun(engine, call, live);
    try {
      return { live, completion: await pRetry(run.attempt, run.retryOptions()) };
    } catch (error) {
      if (call.scope.abortReason !== undefined) throw abortError(call, error);
      if (run.failure?.action === 'throw' || run.failure === undefined) throw error;
      previous = { model: model.id, reason: run.failure.code };
    }
  }
  throw new AllModelsFailedError(call.requested, call.attempts, 'exhausted');
}

/** The tries of one deployment: p-retry drives the loop, this decides and records each failure. */
class DeploymentRun {
  failure: Failure | undefined;
  private willRetry = false;
  private attemptStartedAt = 0;

  constructor(
    private readonly engine: Engine,
    private readonly call: Call,
    private readonly live: LiveDeployment,
  ) {}

  retryOptions(): RetryLoopOptions {
    // The waits are ours (onFailedAttempt), so that retry-after is honoured and reported: p-retry's own are zero.
    return {
      retries: this.call.retries,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      signal: this.call.scope.signal,
      onFailedAttempt: this.onFailedAttempt,
      shouldRetry: this.shouldRetry,
    };
  }

  readonly attempt = async (): Promise<ChatCompletion> => {
    const { engine, call, live } = this;
    const { deployment } = live;
    if (live.rejecting) {
      // Opened by an earlier try of this very call, or by a concurrent one: no network call.
      call.attempts.push({
        model: deployment.model.id,
        provider: deployment.provider,
        tier: deployment.tier,
        outcome: 'skipped',
        errorCode: 'breaker_open',
        latencyMs: 0,
      });
      this.failure = { action: 'next', code: 'breaker_open' };
      throw new Error('breaker open');
    }
    if (engine.telemetry.wants('attempt:start')) {
      engine.telemetry.emit('attempt:start', {
        requestId: call.requestId,
        model: deployment.model.id,
        provider: deployment.provider,
        tier: deployment.tier,
        attempt: call.attempts.length + 1,
      });
    }
    this.attemptStartedAt = performance.now();
    const completion = await live.fire(() => requestOnce(engine, call, live));
    const latencyMs = performance.now() - this.attemptStartedAt;
    live.latency.record(latencyMs);
    call.attempts.push({ model: deployment.model.id, provider: deployment.provider, tier: deployment.tier, outcome: 'ok', latencyMs });
    return completion;
  };

  private readonly onFailedAttempt = async ({ error, retriesLeft, retriesConsumed }: RetryContext): Promise<void> => {
    if (this.failure?.code === 'breaker_open') {
      this.willRetry = false;
      return;
    }
    const { engine, call, live } = this;
    const { deployment } = live;
    const failure = classifyFailure(error);
    this.failure = failure;
    const { retry } = engine.settings;
    let delayMs: number | undefined;
    if (failure.action === 'retry' && call.scope.abortReason === undefined) {
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > retry.maxRetryAfterMs) {
        live.coolingDownUntil = Math.max(live.coolingDownUntil, Date.now() + failure.retryAfterMs);
      } else if (retriesLeft > 0 && !live.rejecting) {
        delayMs = failure.retryAfterMs ?? backoffDelay(retriesConsumed, retry);
      }
    }
    this.willRetry = delayMs !== undefined;
    const latencyMs = performance.now() - this.attemptStartedAt;
    const attempt: Attempt = {
      model: deployment.model.id,
      provider: deployment.provider,
      tier: deployment.tier,
      outcome: 'error',
      errorCode: failure.code,
      latencyMs,
      error,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(delayMs === undefined ? {} : { delayMs }),
    };
    call.attempts.push(attempt);
    if (engine.telemetry.wants('attempt:error')) {
      engine.telemetry.emit('attempt:error', {
        requestId: call.requestId,
        model: deployment.model.id,
        provider: deployment.provider,
        error: {
          code: failure.code,
          message: engine.redactor.text(error.message),
          ...(failure.status === undefined ? {} : { status: failure.status }),
        },
        willRetry: this.willRetry,
        ...(delayMs === undefined ? {} : { delayMs }),
      });
    }
    if (delayMs !== undefined && delayMs > 0) await sleep(delayMs, call.scope.signal);
  };

  private readonly shouldRetry = (): boolean => this.willRetry;
}

/** One upstream request, bounded by the call's time limit for a try. Runs inside the breaker. */
async function requestOnce(engine: Engine, call: Call, live: LiveDeployment): Promise<ChatCompletion> {
  const scope = new AttemptScope(call.scope.signal, call.attemptTimeoutMs);
  try {
    return await live.client.chat.completions.create(
      { ...(call.params as object), model: live.deployment.model.id } as Parameters<typeof live.client.chat.completions.create>[0] & {
        stream?: false;
      },
      { ...call.upstream, signal: scope.signal },
    );
  } catch (error) {
    if (scope.timedOut) {
      // The breaker must see a timeout (it counts), not the abort we used to enforce it.
      throw new APIConnectionTimeoutError({ message: `Request timed out after ${call.attemptTimeoutMs} ms (timeouts.requestMs).` });
    }
    throw engine.redactor.error(error);
  } finally {
    scope.dispose();
  }
}

/** The error for a call that was aborted: the caller's abort as `openai` reports it, or the deadline. */
function abortError(call: Call, error: unknown): unknown {
  if (call.scope.abortReason === 'deadline') return new AllModelsFailedError(call.requested, call.attempts, 'deadline', error);
  return error instanceof APIUserAbortError ? error : new APIUserAbortError();
}

function account(engine: Engine, call: Call, live: LiveDeployment, completion: ChatCompletion): TieredChatResult {
  const { deployment } = live;
  const text = completion.choices[0]?.message?.content ?? '';
  const reported = completion.usage;
  const usageEstimated = reported === undefined || reported === null;
  const usage: TokenUsage = usageEstimated
    ? { inputTokens: estimatePromptTokens(call.params.messages), outputTokens: estimateTokens(text), cachedInputTokens: 0 }
    : {
        inputTokens: reported.prompt_tokens,
        outputTokens: reported.completion_tokens,
        cachedInputTokens: reported.prompt_tokens_details?.cached_tokens ?? 0,
      };
  const result: TieredChatResult = {
    completion,
    text,
    model: deployment.model.id,
    provider: deployment.provider,
    tier: deployment.tier,
    cached: false,
    costUsd: costOf(usage, deployment.model),
    usage,
    usageEstimated,
    latencyMs: call.elapsedMs(),
    attempts: call.attempts,
    requestId: call.requestId,
  };
  if (engine.telemetry.wants('request:end')) {
    engine.telemetry.emit('request:end', {
      requestId: call.requestId,
      model: result.model,
      provider: result.provider,
      tier: result.tier,
      latencyMs: result.latencyMs,
      usage,
      costUsd: result.costUsd,
      cached: false,
      stream: call.stream,
      attempts: call.attempts,
      usageEstimated,
      ...(engine.settings.captureContent ? { text } : {}),
    });
  }
  return result;
}

function reportFailure(engine: Engine, call: Call, error: unknown): void {
  if (!engine.telemetry.wants('request:error')) return;
  engine.telemetry.emit('request:error', {
    requestId: call.requestId,
    error,
    latencyMs: call.elapsedMs(),
    attempts: call.attempts,
    costUsd: 0,
  });
}
