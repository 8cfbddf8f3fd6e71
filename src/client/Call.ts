import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import type { Attempt } from '../resilience/Attempt.js';
import { cacheKey } from '../cache/cacheKey.js';
import { ConfigError } from '../errors/ConfigError.js';
import { CallScope } from '../resilience/CallScope.js';
import type { TieredChatParams, TieredRequestOptions } from './requests.js';
import { count, type Settings } from './resolveOptions.js';

/** One call of `create()` / `tieredChat()` on its way through the pipeline. */
export class Call {
  readonly requestId = randomUUID();
  readonly startedAt = performance.now();
  /** The audit trail, appended to as tries happen. */
  readonly attempts: Attempt[] = [];
  readonly scope: CallScope;
  readonly requested: string;
  readonly stream: boolean;
  /** Time limit of one non-streaming try. */
  readonly attemptTimeoutMs: number;
  /** Time limit of a streaming try up to its first token. */
  readonly firstTokenMs: number;
  /** Longest silence between two chunks of a stream. */
  readonly idleMs: number;
  /** Retries per deployment. */
  readonly retries: number;
  /** The cache namespace, when the cache is on. */
  readonly cacheNamespace: string;
  /** The cache key, when this call may use the cache. */
  readonly cacheKey: string | undefined;
  /** Options passed on to every upstream request (the signal is added per try). */
  readonly upstream: OpenAI.RequestOptions;

  constructor(
    readonly params: TieredChatParams,
    readonly options: TieredRequestOptions,
    settings: Settings,
  ) {
    this.requested = params.model;
    this.stream = params.stream === true;
    let deadlineMs = settings.timeouts.deadlineMs;
    this.attemptTimeoutMs = settings.timeouts.requestMs;
    this.retries = settings.retry.retries;
    // Checked only when given: the common call passes none of them.
    if (options.timeout !== undefined || options.maxRetries !== undefined || options.timeoutMs !== undefined) {
      const perCall = options as Record<string, unknown>;
      this.attemptTimeoutMs = count(perCall, 'options.timeout', this.attemptTimeoutMs, { min: 1, infinite: true });
      this.retries = count(perCall, 'options.maxRetries', this.retries, { integer: true });
      deadlineMs = count(perCall, 'options.timeoutMs', deadlineMs, { min: 1, infinite: true });
    }
    this.firstTokenMs = settings.timeouts.firstTokenMs;
    this.idleMs = settings.timeouts.idleMs;
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
    const cache = settings.cache;
    this.cacheNamespace = options.cacheNamespace ?? cache?.namespace ?? '';
    this.cacheKey =
      cache === undefined || options.cache === false || (cache.policy === 'deterministic' && params.temperature !== 0)
        ? undefined
        : keyOf(this.cacheNamespace, this.requested, params);
    this.upstream = upstreamOptions(options);
    // Last: anything above may throw, and the scope hooks a listener onto the caller's signal.
    this.scope = new CallScope(options.signal, deadlineMs);
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }
}

const noUpstreamOptions: OpenAI.RequestOptions = Object.freeze({ maxRetries: 0 });

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

function keyOf(namespace: string, requested: string, params: TieredChatParams): string {
  try {
    return cacheKey(namespace, requested, params as unknown as Record<string, unknown>);
  } catch (error) {
    // A BigInt or a cycle: JSON cannot carry it, so no provider could be sent it either.
    throw new ConfigError(
      'params',
      `cannot be serialized: ${error instanceof Error ? error.message : String(error)}`,
      'Pass plain JSON values.',
    );
  }
}
