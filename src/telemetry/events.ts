import type { TokenUsage } from '../catalog/costOf.js';
import type { SloEvent } from '../metrics/SloWatch.js';
import type { FeedbackEvent } from '../feedback/Feedback.js';
import type { BreakerEvent, DeploymentDrainEvent, HealthProbeEvent } from './deploymentEvents.js';
import type { Attempt, AttemptErrorCode } from '../call/Attempt.js';
import type { ShadowDroppedEvent, ShadowResultEvent } from '../quality/shadowEvents.js';
import type { CostBreakdown } from './CostBreakdown.js';
import type { RateLimitErrorEvent } from '../limits/RateLimitErrorEvent.js';
import type { CacheShareErrorEvent } from './CacheShareErrorEvent.js';
import type { RequestEvent } from './RequestEvent.js';

/** A request's metadata as passed in `options.metadata`, echoed in `request:start`. */
export type RequestMetadata = Readonly<Record<string, unknown>>;

/** The first event of every request. */
export interface RequestStartEvent extends RequestEvent {
  /** The `model` field as the caller gave it: a tier, a model id or `'auto'`. */
  readonly requested: string;
  /** Whether the caller asked for a stream (`stream: true`). */
  readonly stream: boolean;
  /** `options.metadata` of the call, as given; `undefined` when it had none. */
  readonly metadata: RequestMetadata | undefined;
  /** The request's messages; only with `telemetry.captureContent`. */
  readonly messages?: readonly unknown[];
}

/** An attempt of one deployment begins (a network call follows). */
export interface AttemptStartEvent extends RequestEvent {
  /** The model id about to be called. */
  readonly model: string;
  /** The catalog provider that serves it. */
  readonly provider: string;
  /** The model's tier. */
  readonly tier: string;
  /** 1-based position of this attempt in the request's audit trail (skips included). */
  readonly attempt: number;
}

/** An attempt failed; `willRetry` says whether the same deployment is tried again after `delayMs`. */
export interface AttemptErrorEvent extends RequestEvent {
  /** The model id that failed. */
  readonly model: string;
  /** The catalog provider that serves it. */
  readonly provider: string;
  /** What went wrong, without the API key or the provider's whole body. */
  readonly error: {
    /** The HTTP status, when the provider answered. */
    readonly status?: number;
    /** Why the attempt failed, as a stable code (see `AttemptErrorCode`). */
    readonly code: AttemptErrorCode;
    /** The error's message, scrubbed of API keys and cut to 1,000 characters. */
    readonly message: string;
  };
  /** True when the same deployment is tried again; false when the call moves on (or gives up). */
  readonly willRetry: boolean;
  /** The wait before that retry (backoff, or what `retry-after` asked), in milliseconds. */
  readonly delayMs?: number;
}

/** How an `'auto'` request was given its tier. */
export interface RouteEvent extends RequestEvent {
  /** The model field as the caller gave it (`'auto'`). */
  readonly requested: string;
  /**
   * The tier chosen; under conversation affinity, the conversation's own tier when the router picked
   * a cheaper one (an `'auto'` conversation never falls), and `reason` then begins
   * `conversation affinity keeps tier <tier>`.
   */
  readonly tier: string;
  /** `custom`: the client's `router`; `classifier`: a cheap model graded the request; `heuristic`: the built-in rules. */
  readonly by: 'custom' | 'classifier' | 'heuristic';
  /** Why, in words: e.g. 'code, multi-step reasoning', or why the classifier was not used. */
  readonly reason: string;
}

/** The request moves on from one deployment to the next. */
export interface FallbackEvent extends RequestEvent {
  /** Model id left behind. */
  readonly from: string;
  /** Its provider: tells two regions of one model apart. */
  readonly fromProvider: string;
  /** Model id tried next. */
  readonly to: string;
  /** Its provider. */
  readonly toProvider: string;
  /** Why: the error code of the last attempt of `from`, e.g. `rate_limited` or `breaker_open`. */
  readonly reason: AttemptErrorCode;
}

/** The last event of a successful request, with its whole audit trail. */
export interface RequestEndEvent extends RequestEvent {
  /** The model id that answered (for a cache hit: the one that answered when it was fetched). */
  readonly model: string;
  /** Its catalog provider. */
  readonly provider: string;
  /** Its tier. */
  readonly tier: string;
  /** From the call's start to its result, every attempt and wait included. */
  readonly latencyMs: number;
  /** Time to the first chunk (streams only). */
  readonly ttftMs?: number;
  /** Tokens of the answer: `inputTokens` counts every prompt token, cached ones included. */
  readonly usage: TokenUsage;
  /** In USD: every billed attempt, the routing and embedding calls (the sum of `costBreakdown`); an exact hit 0. */
  readonly costUsd: number;
  /** `costUsd` by what was paid for; always present, zeros included. */
  readonly costBreakdown: CostBreakdown;
  /** True when the cache answered. */
  readonly cached: boolean;
  /** What a cached answer saved (0 when not cached). */
  readonly savedUsd: number;
  /** Whether the call was a stream. */
  readonly stream: boolean;
  /** The audit trail: one entry per attempt or skipped deployment, in order. */
  readonly attempts: readonly Attempt[];
  /** True when the provider reported no usage and tokens were estimated. */
  readonly usageEstimated: boolean;
  /** Each choice's finish reason. */
  readonly finishReasons: readonly string[];
  /** The answer's text; only with `telemetry.captureContent`. */
  readonly text?: string;
}

/** The last event of a failed request. */
export interface RequestErrorEvent extends RequestEvent {
  /** The error the caller receives. */
  readonly error: unknown;
  /** From the call's start to its failure. */
  readonly latencyMs: number;
  /** The audit trail: one entry per attempt or skipped deployment, in order. */
  readonly attempts: readonly Attempt[];
  /** Billed all the same: an interrupted stream's tokens (estimated), the routing and embedding calls made. */
  readonly costUsd: number;
}

/** The cache answered a call (`cache:hit`) or did not (`cache:miss`). */
export interface CacheEvent extends RequestEvent {
  /** The cache namespace of the call (`options.cacheNamespace`, else `cache.namespace`). */
  readonly namespace: string;
  /** For a semantic hit: how close the cached request was (cosine similarity of the embeddings). */
  readonly similarity?: number;
}

/**
 * The cache failed: a call's store operation or embedding ({@link CacheCallErrorEvent}), or the
 * sharing of the semantic index, in the background ({@link CacheShareErrorEvent}). Tell them apart
 * by `action`.
 */
export type CacheErrorEvent = CacheCallErrorEvent | CacheShareErrorEvent;

/** The cache store failed or was too slow: the call goes on uncached. */
export interface CacheCallErrorEvent extends RequestEvent {
  /** The cache namespace of the call. */
  readonly namespace: string;
  /** What failed: the store's `get` or `set`, or `embed`, the embeddings call of the semantic cache. */
  readonly action: 'get' | 'set' | 'embed';
  /** What the store said, scrubbed of API keys; a time-out or a skipped store says so. */
  readonly error: {
    /** The error's message. */
    readonly message: string;
  };
}

/**
 * The budget store failed, was too slow, or is skipped after failing in a row: the call goes on and
 * its spend is not counted (`reserve`: it was not reserved, so the limit did not hold it back;
 * `settle` / `record`: its cost after the call is missing from the window).
 */
export interface BudgetErrorEvent extends RequestEvent {
  /** The budget's key: `'global'`, or `'namespace:<name>'` with `budget.per: 'namespace'`. */
  readonly budget: string;
  /** `reserve`: before the call; `settle`: its real cost replacing the reservation; `record`: a cost counted after the fact (a downgraded call, or one that ended in the next window). */
  readonly action: 'reserve' | 'settle' | 'record';
  /** What the store said, scrubbed of API keys; a time-out or a skipped store says so. */
  readonly error: {
    /** The error's message. */
    readonly message: string;
  };
}

/**
 * Every event of `client.events`, by name. Each event of a call carries its `requestId` and its
 * `operation` ({@link RequestEvent}); `breaker:*`, `deployment:*` and `slo:*` belong to no call.
 * Per request they come in this order:
 * `request:start`, then `cache:hit` or `cache:miss` (when the call is cacheable), then `route` (for
 * `'auto'`), then for each deployment tried `attempt:start` and, when the attempt fails,
 * `attempt:error` (one pair per attempt, retries included), then `fallback` before moving on to the
 * next deployment, and last exactly one of `request:end` or `request:error`. A `budget:error` of the
 * reservation comes before the first `attempt:start`; one of settling the call's cost may come after
 * its last event (the budget is settled behind the call). A `rateLimit:error` comes before the
 * `attempt:start` of the deployment it counted (`acquire`), or after the call (`settle`).
 * `breaker:*` and `deployment:*` events come when a deployment changes state, outside any request's order;
 * `feedback` when `client.feedback()` is given one, after its request has ended. A call sampled for
 * shadowing (the `shadow` option) gets one `shadow:result` or `shadow:dropped` after its
 * `request:end`; the shadow's own calls emit no `request:*`, `attempt:*` or `fallback` event.
 */
export interface TieredEvents {
  /** A call began (before the cache is consulted). */
  'request:start': (event: RequestStartEvent) => void;
  /** An `'auto'` request was given a tier, and by what (`custom`, `classifier` or `heuristic`). */
  route: (event: RouteEvent) => void;
  /** An attempt is about to be sent to a deployment. */
  'attempt:start': (event: AttemptStartEvent) => void;
  /** An attempt failed, and whether the same deployment will be tried again. */
  'attempt:error': (event: AttemptErrorEvent) => void;
  /** The call moves on from one deployment to the next. */
  fallback: (event: FallbackEvent) => void;
  /** A call succeeded (or a stream finished), with its cost, usage and latency. */
  'request:end': (event: RequestEndEvent) => void;
  /** A call failed: exactly one of this or `request:end` ends every call. */
  'request:error': (event: RequestErrorEvent) => void;
  /** A call was answered from the cache. */
  'cache:hit': (event: CacheEvent) => void;
  /** A cacheable call was not in the cache. */
  'cache:miss': (event: CacheEvent) => void;
  /** The cache store failed or was too slow, the call going on uncached; or sharing the semantic index failed (`action: 'share'`). */
  'cache:error': (event: CacheErrorEvent) => void;
  /** The budget store failed, was too slow or is skipped; the call went on, its spend uncounted. */
  'budget:error': (event: BudgetErrorEvent) => void;
  /** The rate-limit store failed or was too slow: the call goes on, counted in this process. */
  'rateLimit:error': (event: RateLimitErrorEvent) => void;
  /** A slow deployment was taken out of rotation. */
  'deployment:drained': (event: DeploymentDrainEvent) => void;
  /** A drained deployment is back in rotation. */
  'deployment:restored': (event: DeploymentDrainEvent) => void;
  /** A service-level objective is being missed. */
  'slo:breach': (event: SloEvent) => void;
  /** A missed service-level objective is met again. */
  'slo:recovered': (event: SloEvent) => void;
  /** A sampled answer was scored against the shadow model's (the `shadow` option). */
  'shadow:result': (event: ShadowResultEvent) => void;
  /** A sampled answer's shadow was not run or not scored, and why. */
  'shadow:dropped': (event: ShadowDroppedEvent) => void;
  /** A deployment's breaker opened: it gets no traffic until a probe. */
  'breaker:open': (event: BreakerEvent) => void;
  /** An open breaker lets one probe through. */
  'breaker:half-open': (event: BreakerEvent) => void;
  /** A probe succeeded: the deployment is back. */
  'breaker:close': (event: BreakerEvent) => void;
  /** A health probe of a deployment ended, up or down (the provider option `healthCheck`); no call's event. */
  'health:probe': (event: HealthProbeEvent) => void;
  /** `client.feedback()` was given a feedback for a request the client remembers (a new one replaces the last). */
  feedback: (event: FeedbackEvent) => void;
}

/** Name of one of the {@link TieredEvents}. */
export type TieredEventName = keyof TieredEvents;
