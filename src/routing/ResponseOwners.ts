import { LRUCache } from 'lru-cache';
import type { Call } from '../call/Call.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';

/**
 * Which deployment produced each recent Responses API answer, and which last answered in each
 * conversation: a request that continues one (`previous_response_id`, `conversation`) must go there
 * and nowhere else, since only that provider keeps the state.
 * Bounded (the most recent 10,000 by default); an id it does not know (another process made it, or
 * it was forgotten) is routed as any request, and a deployment that does not know the id answers
 * OpenAI's 400 `previous_response_not_found`.
 */
export class ResponseOwners {
  readonly #owners: LRUCache<string, LiveDeployment>;

  constructor(max = 10_000) {
    this.#owners = new LRUCache({ max });
  }

  /** An answer settled: remember where it lives, unless the request asked the provider to keep nothing (`store: false`). */
  remember(response: { readonly id?: unknown } | undefined, params: object, live: LiveDeployment): void {
    if ((params as { store?: unknown }).store === false) return;
    if (typeof response?.id === 'string') this.#owners.set(response.id, live);
    const conversation = conversationOf(params);
    if (conversation !== undefined) this.#owners.set(conversation, live);
  }

  /** The deployment a call must go to: the one that produced the response it continues, when remembered. */
  ownerOf(call: Call): LiveDeployment | undefined {
    const previous = (call.params as { previous_response_id?: unknown }).previous_response_id;
    if (typeof previous === 'string') return this.#owners.get(previous);
    const conversation = conversationOf(call.params);
    return conversation === undefined ? undefined : this.#owners.get(conversation);
  }
}

/** The key of a request's conversation (its id, or `{ id }`), apart from response ids. */
function conversationOf(params: object): string | undefined {
  const conversation = (params as { conversation?: unknown }).conversation;
  const id = typeof conversation === 'object' && conversation !== null ? (conversation as { id?: unknown }).id : conversation;
  return typeof id === 'string' ? `conversation:${id}` : undefined;
}
