import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsBase,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { TokenUsage } from '../catalog/costOf.js';
import type { Catalog, ModelRef } from '../catalog/types.js';
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
export interface TieredRequestOptions {
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
  /** What this call cost: 0 when cached. */
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
