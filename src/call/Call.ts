import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import type { Attempt } from './Attempt.js';
import type { RateGrant } from '../limits/RateGrant.js';
import type { SideCall } from './SideCall.js';
import { CallScope } from './CallScope.js';
import type { Operation } from './Operation.js';
import type { RequestKind } from './RequestKind.js';
import type { TieredChatParams, TieredRequestOptions } from './requests.js';

/** The time limits and retries of one call: the client's, or the call's own options over them. */
export interface CallLimits {
  /** Time limit of one non-streaming attempt. */
  readonly attemptTimeoutMs: number;
  /** Time limit of a streaming attempt up to its first token. */
  readonly firstTokenMs: number;
  /** Longest silence between two chunks of a stream. */
  readonly idleMs: number;
  /** Retries per deployment. */
  readonly retries: number;
  /** Time limit of the whole call, fallbacks and retries included. */
  readonly deadlineMs: number;
}

/** Where a call may find or leave its answer in the cache. */
export interface CallCaching {
  /** The cache namespace ('' when the cache is off). */
  readonly namespace: string;
  /** The cache key, when this call may use the cache. */
  readonly key: string | undefined;
}

/**
 * One request on its way through the pipeline: what was asked, its limits, its abort scope and its
 * audit trail. Every stage reads it; none holds on to it after the call. Built by the client, which
 * resolves the per-call options; this layer imports no stage.
 */
export class Call {
  readonly requestId = randomUUID();
  readonly startedAt = performance.now();
  /** The audit trail, appended to as attempts happen. */
  readonly attempts: Attempt[] = [];
  readonly scope: CallScope;
  /** The model field as the caller wrote it: a tier, a model id, or `'auto'`. */
  readonly requested: string;
  readonly stream: boolean;
  /** The kind's operation: carried by each of the call's events, counted in `metrics().byOperation`. */
  readonly operation: Operation;
  readonly attemptTimeoutMs: number;
  readonly firstTokenMs: number;
  readonly idleMs: number;
  readonly retries: number;
  /** The cache namespace ('' when the cache is off). */
  readonly cacheNamespace: string;
  /** The cache key, when this call may use the cache. */
  readonly cacheKey: string | undefined;
  /** The conversation key of a chat call under affinity (routing/Affinity.ts), set by the route stage. */
  conversation: string | undefined = undefined;
  /** The tier an `'auto'` call was routed to (the router's pick, or the conversation's kept tier), set by the route stage. */
  autoTier: string | undefined = undefined;
  /** The classifier's call that chose this call's tier, priced; set by the classifier. */
  routing: SideCall | undefined = undefined;
  /** The semantic cache's embedding of this call, priced; set by the cache stage. */
  embedding: SideCall | undefined = undefined;
  /** What the rate-limit stage counted for this call's attempts, corrected from the answer's usage; set by that stage. */
  rateGrant: RateGrant | undefined = undefined;

  constructor(
    readonly params: TieredChatParams,
    readonly options: TieredRequestOptions,
    limits: CallLimits,
    caching: CallCaching,
    /** Options passed on to every upstream request (the signal is added per attempt). */
    readonly upstream: OpenAI.RequestOptions,
    /** What kind of request this is (chat, embeddings, the Responses API): how its parameters and answer are read. */
    readonly kind: RequestKind,
  ) {
    this.operation = kind.operation;
    this.requested = params.model;
    this.stream = params.stream === true;
    this.attemptTimeoutMs = limits.attemptTimeoutMs;
    this.firstTokenMs = limits.firstTokenMs;
    this.idleMs = limits.idleMs;
    this.retries = limits.retries;
    this.cacheNamespace = caching.namespace;
    this.cacheKey = caching.key;
    // Last: the scope hooks a listener onto the caller's signal and starts the deadline.
    this.scope = new CallScope(options.signal, limits.deadlineMs);
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }
}
