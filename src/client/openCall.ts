import type OpenAI from 'openai';
import { cacheKey } from '../cache/cacheKey.js';
import { Call, type CallLimits } from '../call/Call.js';
import type { TieredChatParams, TieredRequestOptions } from '../call/requests.js';
import { ClientClosedError } from '../errors/ClientClosedError.js';
import { ConfigError } from '../errors/ConfigError.js';
import { checkCallRouting } from '../routing/checkCallRouting.js';
import { checkOptions } from './checkRequest.js';
import { chatKind } from './kinds/chatKind.js';
import type { RequestKind } from '../call/RequestKind.js';
import { count } from '../errors/checkOption.js';
import type { Stages } from './Stages.js';

/**
 * The open stage: checks the call's arguments, resolves its own options over the client's, starts
 * its clock, scope and deadline, and emits `request:start`.
 */
export function openCall(
  stages: Stages,
  params: TieredChatParams,
  options: TieredRequestOptions | undefined,
  kind: RequestKind = chatKind,
): Call {
  if (stages.closed) throw new ClientClosedError();
  kind.checkParams(params);
  if (options !== undefined) {
    checkOptions(options);
    if (options.fallback !== undefined || options.providers !== undefined || options.region !== undefined)
      checkCallRouting(options, stages.settings.catalog, stages.settings.regions);
  }
  const perCall = options ?? noOptions;
  const call = new Call(
    params,
    perCall,
    limitsOf(stages.callLimits, perCall),
    cachingOf(stages, params, perCall, kind),
    upstreamOptions(perCall),
    kind,
  );
  const { telemetry } = stages;
  if (telemetry.wants('request:start')) {
    telemetry.emit('request:start', {
      requestId: call.requestId,
      operation: call.operation,
      requested: call.requested,
      stream: call.stream,
      metadata: options?.metadata,
      ...(stages.settings.captureContent && kind === chatKind ? { messages: params.messages } : {}),
    });
  }
  return call;
}

const noOptions: TieredRequestOptions = Object.freeze({});

/** The client's limits, or the call's own `timeout`, `maxRetries` and `timeoutMs` over them. */
function limitsOf(client: CallLimits, options: TieredRequestOptions): CallLimits {
  // The common call passes none of them: the client's own object, checked and frozen once.
  if (options.timeout === undefined && options.maxRetries === undefined && options.timeoutMs === undefined) return client;
  const perCall = options as Record<string, unknown>;
  return {
    ...client,
    attemptTimeoutMs: count(perCall, 'options.timeout', client.attemptTimeoutMs, { min: 1, infinite: true }),
    retries: count(perCall, 'options.maxRetries', client.retries, { integer: true }),
    deadlineMs: count(perCall, 'options.timeoutMs', client.deadlineMs, { min: 1, infinite: true }),
  };
}

const uncached = Object.freeze({ namespace: '', key: undefined });

/** The call's cache namespace and key; no key when the cache is off for it. */
function cachingOf(
  stages: Stages,
  params: TieredChatParams,
  options: TieredRequestOptions,
  kind: RequestKind,
): { namespace: string; key: string | undefined } {
  if (options.cache !== undefined && options.cache !== false && options.cache !== 'refresh') {
    throw new ConfigError(
      'options.cache',
      `must be false or 'refresh', got ${String(options.cache)}`,
      'Omit it to use the cache as configured.',
    );
  }
  if (options.qualityEscalation !== undefined && typeof options.qualityEscalation !== 'boolean') {
    throw new ConfigError('options.qualityEscalation', 'must be a boolean', 'true to retry a poor answer on the next tier up.');
  }
  if (options.cacheNamespace !== undefined && (typeof options.cacheNamespace !== 'string' || options.cacheNamespace === '')) {
    throw new ConfigError('options.cacheNamespace', 'must be a non-empty string', 'E.g. the tenant id.');
  }
  const cache = stages.settings.cache;
  if (cache === undefined && options.cacheNamespace === undefined) return uncached;
  const namespace = options.cacheNamespace ?? cache?.namespace ?? '';
  const off =
    cache === undefined ||
    options.cache === false ||
    (cache.policy === 'deterministic' && params.temperature !== 0) ||
    kind.cacheable?.(params) === false;
  // Another kind's answer never answers a chat call: its key names its operation.
  return {
    namespace,
    key: off ? undefined : keyOf(namespace, kind === chatKind ? params.model : `${kind.operation}:${params.model}`, params),
  };
}

function keyOf(namespace: string, model: string, params: TieredChatParams): string {
  try {
    return cacheKey(namespace, model, params as unknown as Record<string, unknown>);
  } catch (error) {
    // A BigInt or a cycle: JSON cannot carry it, so no provider could be sent it either.
    throw new ConfigError(
      'params',
      `cannot be serialized: ${error instanceof Error ? error.message : String(error)}`,
      'Pass plain JSON values.',
    );
  }
}

const noUpstreamOptions: OpenAI.RequestOptions = Object.freeze({ maxRetries: 0 });

/** What the call passes on to every upstream request: openai's own per-request options, never its retries. */
function upstreamOptions(options: TieredRequestOptions): OpenAI.RequestOptions {
  if (
    options.headers === undefined &&
    options.query === undefined &&
    options.idempotencyKey === undefined &&
    options.fetchOptions === undefined &&
    !hasHelperKeys(options)
  ) {
    return noUpstreamOptions;
  }
  const upstream: OpenAI.RequestOptions = { maxRetries: 0 };
  if (options.headers !== undefined) upstream.headers = options.headers;
  if (options.query !== undefined) upstream.query = options.query;
  if (options.idempotencyKey !== undefined) upstream.idempotencyKey = options.idempotencyKey;
  if (options.fetchOptions !== undefined) upstream.fetchOptions = options.fetchOptions;
  // openai's own helpers pass `__`-keys (e.g. `__metadata`) that its request code reads.
  for (const key in options)
    if (key.startsWith('__')) (upstream as Record<string, unknown>)[key] = (options as Record<string, unknown>)[key];
  return upstream;
}

function hasHelperKeys(options: TieredRequestOptions): boolean {
  for (const key in options) if (key.startsWith('__')) return true;
  return false;
}
