import type { TieredChatParams } from '../call/requests.js';
import type { Operation } from '../call/Operation.js';
import type { RequestKind } from '../call/RequestKind.js';
import { isEmbeddingModel } from '../catalog/chatModels.js';
import { chatKind } from '../client/kinds/chatKind.js';
import { embeddingsKind } from '../client/kinds/embeddingsKind.js';
import type { RateGrant } from '../limits/RateGrant.js';
import type { CountedRequest, RateLimiter } from '../limits/RateLimiter.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { chatMessages, embeddingInput } from './probeRequests.js';

/**
 * The room a probe of a model (`kind: 'chat'`) needs under its deployment's `limits` and its
 * provider's rate-limit pause: the probe is a request like a caller's, counted as one (its slot
 * while in flight, one request and its few tokens in the `rpm`/`tpm` window). Without room, the
 * probe is skipped: it would only take the room of a caller, or meet a 429. A deployment without
 * limits nor a pause pays one branch.
 */
export class ProbeRoom implements CountedRequest {
  readonly requestId: string;
  readonly operation: Operation;
  readonly kind: RequestKind;
  readonly params: TieredChatParams;
  rateGrant: RateGrant | undefined = undefined;

  constructor(
    private readonly live: LiveDeployment,
    private readonly limiter: RateLimiter,
  ) {
    const { model, key } = live.deployment;
    this.requestId = `health:${key}`;
    const embeddings = isEmbeddingModel(model);
    this.operation = embeddings ? 'embeddings' : 'chat';
    this.kind = embeddings ? embeddingsKind : chatKind;
    // What modelProbe() sends: its tokens are what the window counts.
    const params = embeddings
      ? { model: model.id, input: embeddingInput }
      : { model: model.id, messages: chatMessages, max_completion_tokens: 1 };
    this.params = params as unknown as TieredChatParams;
  }

  /** True when the probe may be sent now (then {@link leave} after it), false to skip it. */
  enter(): boolean | Promise<boolean> {
    const rate = this.live.rate;
    return rate === undefined || this.limiter.probe(this, rate);
  }

  /** The probe is over: its slot goes back. */
  leave(): void {
    // A rate made since enter() (by a provider's pause) has no slots: releasing it changes nothing.
    this.live.rate?.release();
  }
}
