import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsBase,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { TokenUsage } from '../catalog/costOf.js';
import type { Catalog, ModelRef, ModelTier } from '../catalog/types.js';
import type { Attempt } from './Attempt.js';
import type { RequestMetadata } from '../telemetry/events.js';

/** `openai` chat parameters `P` with `model` widened to what the catalog `C` can serve. */
export type WithModel<P, C extends Catalog> = Omit<P, 'model'> & {
  /** A tier name, a catalog model id, or `'auto'`. */
  readonly model: ModelRef<C>;
};

/** `openai`'s chat parameters, with `model` naming a tier, a catalog model id or `'auto'`. */
export type TieredChatParams<C extends Catalog = Catalog> = WithModel<ChatCompletionCreateParamsBase, C>;
/** Non-streaming chat parameters. */
export type TieredChatParamsNonStreaming<C extends Catalog = Catalog> = WithModel<ChatCompletionCreateParamsNonStreaming, C>;
/** Streaming chat parameters (`stream: true`). */
export type TieredChatParamsStreaming<C extends Catalog = Catalog> = WithModel<ChatCompletionCreateParamsStreaming, C>;

/**
 * The second argument of `create()` and `tieredChat()`: `openai`'s request options, plus ours.
 * `headers`, `query`, `idempotencyKey` and `fetchOptions` reach the upstream as given.
 */
export interface TieredRequestOptions<C extends Catalog = Catalog> {
  /** Aborts the whole call (every attempt and wait); the call rejects with `openai`'s `APIUserAbortError`. */
  readonly signal?: AbortSignal | null | undefined;
  /** Bounds this whole call, every attempt and fallback included (overrides `timeouts.deadlineMs`). */
  readonly timeoutMs?: number;
  /** As in `openai`: bounds each attempt of this call (overrides `timeouts.requestMs`). */
  readonly timeout?: number;
  /** As in `openai`: retries per deployment for this call (overrides `retry.retries`). */
  readonly maxRetries?: number;
  /** `false`: neither read nor write the cache for this call; `'refresh'`: fetch anew and overwrite. */
  readonly cache?: false | 'refresh';
  /** The cache namespace of this call (e.g. a tenant): namespaces never see each other's entries. */
  readonly cacheNamespace?: string;
  /** Retry a poor answer (empty, content-filtered, invalid JSON) on the next tier up, for this call. */
  readonly qualityEscalation?: boolean;
  /**
   * Where this call may fall back, over the client's `fallback` option:
   * - `'none'`: only the requested tier's deployments (for a model id, only that model's own, on
   *   every provider that serves it). No quality escalation either: it too goes to another tier.
   * - `'escalate'`: up the catalog's tier list, never down.
   * - a list of tiers: after the requested tier's deployments (for a model id, its own, then the rest
   *   of its tier), those tiers' deployments, in that order.
   *
   * A budget downgrade (`budget.onExceeded: 'downgrade'`) is the budget's decision, not a fallback:
   * it still sends the call to the cheapest tier, within `providers`.
   * @default the client's `fallback`
   */
  readonly fallback?: 'none' | 'escalate' | readonly ModelTier<C>[];
  /**
   * Which providers (keys of the catalog's `providers`) may serve this call, wherever its candidates
   * are chosen: the requested tier or model, the tier `'auto'` picks, fallback tiers, the next tier
   * of quality escalation, the cheapest tier of a budget downgrade. A call they leave with no
   * deployment fails before any request (and before the cache or the budget is consulted) with a
   * `ConfigError` whose `field` names the constraint: `options.providers.only`,
   * `options.providers.ignore`, or `options.fallback` when only the call's own fallback keeps it away
   * from the providers allowed. For `'auto'`: before the router runs when no tier has a deployment
   * left, else once it has chosen a tier.
   * A cached answer is served whoever produced it: pass `cache: false` to rule that out.
   */
  readonly providers?: {
    /** Only these providers' deployments. */
    readonly only?: readonly string[];
    /** Never these providers' deployments (not with `only` naming the same one). */
    readonly ignore?: readonly string[];
    /**
     * These providers first, in this order, among deployments that are otherwise equal (one tier's,
     * or one model's): the rest after them, load-balanced as usual. Never moves a deployment into
     * another tier's place.
     */
    readonly order?: readonly string[];
  };
  /**
   * The regions (catalog entries' `region`) whose deployments may serve this call: a constraint,
   * wherever its candidates are chosen, as for `providers` (the requested tier or model, the tier
   * `'auto'` picks, fallback tiers, quality escalation's next tier, a budget downgrade's cheapest
   * tier). An entry with no `region` is in none: a call that sets `region` never reaches it, nor a
   * passthrough model. Its prompt stays in them too: the classifier is not asked (the heuristic
   * decides) and the semantic cache does not embed it when their models are elsewhere; a cached
   * answer is still served whoever produced it (`cache: false` rules that out). Within them, the
   * client's `region` preference orders as usual. An unknown region, or one outside the client's
   * `regions.only`, is a `ConfigError` (`options.region`, `options.region[1]`); a call left with no
   * deployment fails before any request with a `ConfigError` naming `options.region` (or the other
   * constraint that emptied it).
   */
  readonly region?: string | readonly string[];
  /** Free-form data echoed in `request:start`, e.g. a tenant or feature name. */
  readonly metadata?: RequestMetadata;
  readonly headers?: OpenAI.RequestOptions['headers'];
  readonly query?: OpenAI.RequestOptions['query'];
  readonly idempotencyKey?: string;
  readonly fetchOptions?: OpenAI.RequestOptions['fetchOptions'];
}

/** What `tieredChat()` resolves to: the upstream completion and how it was obtained. */
export interface TieredChatResult {
  /** The upstream `ChatCompletion`, as the provider sent it. */
  readonly completion: ChatCompletion;
  /** The first choice's text ('' for a tool call). */
  readonly text: string;
  /** The catalog model id that answered. */
  readonly model: string;
  readonly provider: string;
  readonly tier: string;
  /** True when served from the response cache (or by an identical call in flight). */
  readonly cached: boolean;
  /**
   * What this call cost: its answer, and the classifier's routing call and the semantic cache's
   * embedding call when it made them (`request:end` breaks it down). A semantic hit costs the
   * embedding it took to find it; an exact hit 0.
   */
  readonly costUsd: number;
  /** What a cached answer saved: what it cost when it was fetched. 0 when not cached. */
  readonly savedUsd: number;
  readonly usage: TokenUsage;
  /** True when the provider reported no usage and tokens were estimated. */
  readonly usageEstimated: boolean;
  /** The whole call, every attempt and wait included. */
  readonly latencyMs: number;
  /** The audit trail: one entry per attempt or skipped deployment. */
  readonly attempts: readonly Attempt[];
  /** The id of this call's events. */
  readonly requestId: string;
}
