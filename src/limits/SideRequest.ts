import type { TokenUsage } from '../catalog/costOf.js';
import type { TieredChatParams } from '../call/requests.js';
import type { RequestKind } from '../call/RequestKind.js';
import { chatKind } from '../client/kinds/chatKind.js';
import { embeddingsKind } from '../client/kinds/embeddingsKind.js';
import type { DeploymentRate } from './DeploymentRate.js';
import type { RateGrant } from './RateGrant.js';
import type { CountedRequest, RateLimiter } from './RateLimiter.js';

/** What a side request sends: a chat completion (the classifier's) or an embedding (the semantic cache's). */
type SideParams = { readonly model: string } & ({ readonly messages: readonly unknown[] } | { readonly input: string });

/**
 * A request the client makes of a model on a caller's behalf (the classifier grading an `'auto'`
 * call, the semantic cache embedding one), counted under that model's deployment `limits` and its
 * provider's rate-limit pause like the caller's own requests, by {@link RateLimiter.probe} (as a
 * health probe is): a slot while in flight, one request and its tokens in the `rpm`/`tpm` window
 * (the shared store's, or this process's while it fails, with `rateLimit:error`), never sent during
 * a pause, never waiting. Made only for a deployment with limits or a pause: the others pay a branch.
 */
export class SideRequest implements CountedRequest {
  readonly operation: 'chat' | 'embeddings';
  readonly kind: RequestKind;
  readonly params: TieredChatParams;
  rateGrant: RateGrant | undefined = undefined;

  private constructor(
    /** The caller's: a `rateLimit:error` of its side request is told with it. */
    readonly requestId: string,
    params: SideParams,
    private readonly rate: DeploymentRate,
    private readonly limiter: RateLimiter,
  ) {
    const embeddings = 'input' in params;
    this.operation = embeddings ? 'embeddings' : 'chat';
    this.kind = embeddings ? embeddingsKind : chatKind;
    this.params = params as unknown as TieredChatParams;
  }

  /**
   * Room for `params` under `rate` (the deployment's limits and pause) now: the admitted request
   * (send it, then {@link leave}), or false to skip it. A deployment without a rate state counts
   * nothing: its callers do not call this.
   */
  static async enter(limiter: RateLimiter, rate: DeploymentRate, requestId: string, params: SideParams): Promise<SideRequest | false> {
    const request = new SideRequest(requestId, params, rate, limiter);
    const room = limiter.probe(request, rate);
    return (typeof room === 'boolean' ? room : await room) && request;
  }

  /** The request is over: its tokens are corrected to `usage` when it got an answer, and its slot goes back. */
  leave(usage?: TokenUsage): void {
    const { rate } = this;
    if (usage !== undefined) this.limiter.settle(this, { provider: rate.provider, model: rate.model, usage });
    rate.release();
  }
}
