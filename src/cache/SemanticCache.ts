import type { Call } from '../call/Call.js';
import type { SideCall } from '../call/SideCall.js';
import { costOf } from '../catalog/costOf.js';
import { estimateTokens } from '../catalog/estimateTokens.js';
import type { Deployment } from '../catalog/types.js';
import { cacheKey } from './cacheKey.js';
import { SemanticIndex } from './SemanticIndex.js';
import type { SemanticIndexEntry, SemanticIndexFeed, SharedSemanticIndex } from './SharedSemanticIndex.js';
import { withinTime } from '../call/timeLimit.js';
import { walkMessages, type MessageVisitor } from '../call/messageParts.js';
import { inRegions, regionList } from '../catalog/regionList.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import type { RateLimiter } from '../limits/RateLimiter.js';
import { SideRequest } from '../limits/SideRequest.js';

/** Semantic cache settings, defaults filled in. */
export interface SemanticSettings {
  readonly embeddingModel: string;
  /** The embedding model's catalog entry: its prices. */
  readonly deployment: Deployment;
  readonly threshold: number;
  readonly maxEntries: number;
  readonly timeoutMs: number;
  /** The embedding model's deployment: its provider's client, and the `limits` and rate-limit pause its embeddings count under. */
  readonly live: LiveDeployment;
  /** The client's limiter, which counts them. */
  readonly limiter: RateLimiter;
}

/** What a semantic lookup computed, kept so that the answer fetched next can be indexed. */
export interface SemanticProbe {
  readonly partition: string;
  readonly embedding: ArrayLike<number>;
  /** The embedding call, priced: part of the call's cost, hit or miss. */
  readonly spent: SideCall;
}

/** Longest text embedded: the end of the conversation, where the question is. */
const maxEmbeddedChars = 8_000;

/**
 * The semantic cache: after an exact miss, a request whose messages mean nearly the same as those of
 * a cached answer (cosine similarity of their embeddings at least `threshold`) gets that answer.
 * Only for requests without tools, and only within a partition: the same namespace, model field and
 * every other parameter (temperature, response_format...), so that only the wording may differ.
 */
export class SemanticCache {
  private readonly index: SemanticIndex;
  /** Set by share(): the index shared with the other clients of the store. */
  #feed: SemanticIndexFeed | undefined;
  /** Until the entries published before share() are in (or `timeoutMs` has passed): what the first lookups wait for. */
  #catchingUp: Promise<void> | undefined;

  constructor(readonly settings: SemanticSettings) {
    this.index = new SemanticIndex({ maxEntries: settings.maxEntries, threshold: settings.threshold });
  }

  /**
   * Only requests of text: with tools a near miss could call the wrong one, and an image, audio or
   * file part would not be in the embedding at all. Not a call whose own `region` leaves out the
   * embedding model's.
   */
  eligible(call: Call): boolean {
    // A call kept to some regions never has its prompt embedded elsewhere.
    const { region } = call.options;
    if (region !== undefined && !inRegions(this.settings.deployment, regionList(region))) return false;
    const params = call.params as { tools?: unknown; functions?: unknown };
    if (params.tools !== undefined || params.functions !== undefined) return false;
    return walkMessages(call.params.messages, textOnly, { textOnly: true }).textOnly;
  }

  /**
   * Embeds the call's messages (bounded by `timeoutMs`); rejects when the provider fails. Undefined,
   * with no request sent, while the embedding model is at its `limits` or paused by its provider:
   * the embedding counts there like a caller's request, never waits for room, and without it the
   * call is a semantic miss (not a cache failure: the limit is doing its job).
   */
  async probe(call: Call): Promise<SemanticProbe | undefined> {
    const { messages, ...rest } = call.params;
    const text = textOf(messages);
    // Only the end of a long conversation is embedded: its beginning must then be the same, word for word.
    const head = text.length > maxEmbeddedChars ? text.slice(0, text.length - maxEmbeddedChars) : '';
    const partition = cacheKey(call.cacheNamespace, call.requested, { ...rest, embeddingModel: this.settings.embeddingModel, head });
    const input = head === '' ? text : text.slice(head.length);
    const { embeddingModel, live, limiter, timeoutMs } = this.settings;
    const params = { model: embeddingModel, input };
    // An embedding model without limits nor a pause pays this branch.
    const rate = live.rate;
    const side = rate === undefined ? undefined : await SideRequest.enter(limiter, rate, call.requestId, params);
    if (side === false) return undefined;
    let spent: SideCall | undefined;
    try {
      const response = await live.client.embeddings.create(params, { signal: call.scope.signal, timeout: timeoutMs, maxRetries: 0 });
      const embedding = response.data[0]?.embedding;
      spent = this.#price(response.usage?.prompt_tokens, input);
      if (embedding === undefined) throw new Error('The embeddings response held no embedding.');
      return { partition, embedding, spent };
    } finally {
      side?.leave(spent?.usage);
    }
  }

  /** The embedding at its catalog price: the tokens reported, or an estimate of the input when none were. */
  #price(reported: unknown, input: string): SideCall {
    const { deployment } = this.settings;
    const inputTokens = typeof reported === 'number' && Number.isSafeInteger(reported) && reported >= 0 ? reported : estimateTokens(input);
    const usage = { inputTokens, outputTokens: 0, cachedInputTokens: 0 };
    return { deployment, usage, costUsd: costOf(usage, deployment.model) };
  }

  /**
   * Follows the index the store shares (`cache.store.semanticIndex`): entries other clients publish
   * are added to this one, and this one's are published (see `publisher`). The first lookups wait
   * for the catch-up, at most `timeoutMs` from now, so a process that has just started finds what
   * was answered before it. `onError`: following failed, once per outage.
   */
  share(shared: SharedSemanticIndex, ttlMs: number, onError: (error: Error) => void): void {
    const feed = shared.follow({ maxEntries: this.settings.maxEntries, ttlMs, onEntry: this.#addShared, onError });
    this.#feed = feed;
    const caughtUp = Promise.resolve(feed.ready).then(noop, noop);
    this.#catchingUp = withinTime(caughtUp, this.settings.timeoutMs, noop).then(() => {
      this.#catchingUp = undefined;
    });
  }

  /** Settles once the shared entries published before share() are in, or its time is up; at once when not sharing. */
  caughtUp(): Promise<void> | undefined {
    return this.#catchingUp;
  }

  /**
   * What publishes the entry `key` of `probe` once its answer is in the store (so that no other
   * process finds the entry before the answer); undefined when the index is not shared.
   */
  publisher(probe: SemanticProbe, key: string): (() => void) | undefined {
    const feed = this.#feed;
    if (feed === undefined) return undefined;
    return () => feed.publish({ partition: probe.partition, key, vector: Float32Array.from(probe.embedding) });
  }

  /** Stops following the shared index; a store failing to stop is not the closing client's failure. */
  async close(): Promise<void> {
    const feed = this.#feed;
    this.#feed = undefined;
    try {
      await feed?.stop();
    } catch {
      // Nothing left to do about it.
    }
  }

  readonly #addShared = (entry: SemanticIndexEntry): void => {
    try {
      this.index.add(entry.partition, entry.key, entry.vector);
    } catch {
      // Another length than this process's entries of that partition: a peer on another embedding model's dimensions.
    }
  };

  /** The key of the closest cached answer in the probe's partition, with its similarity. */
  nearest(probe: SemanticProbe): { readonly key: string; readonly similarity: number } | undefined {
    return this.index.nearest(probe.partition, probe.embedding);
  }

  add(probe: SemanticProbe, key: string): void {
    try {
      this.index.add(probe.partition, key, probe.embedding);
    } catch {
      // A vector of another length (the embedding model changed under us): not indexable, nothing lost.
    }
  }

  delete(probe: SemanticProbe, key: string): void {
    this.index.delete(probe.partition, key);
  }
}

const noop = (): void => {};

function textOf(messages: readonly unknown[]): string {
  return walkMessages(messages, transcript, { text: '' }).text;
}

const notText = (state: { textOnly: boolean }): void => {
  state.textOnly = false;
};

const textOnly: MessageVisitor<{ textOnly: boolean }> = { refusal: notText, image: notText, audio: notText, file: notText, other: notText };

/** Each message as 'role: text' on its own line, the text of its parts run together. */
const transcript: MessageVisitor<{ text: string }> = {
  message(state, role) {
    state.text += `${String(role)}: `;
  },
  text(state, text) {
    state.text += text;
  },
  end(state) {
    state.text += '\n';
  },
};
