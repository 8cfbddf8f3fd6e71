import { LRUCache } from 'lru-cache';
import type { TieredChatParams, TieredRequestOptions } from '../call/requests.js';
import { skipOf } from '../resilience/DeploymentAttempts.js';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { conversationKey } from './conversationKey.js';

/**
 * The key of a call's conversation, from the application: calls with one key stay on one deployment
 * while it is healthy; `undefined` (or a throw, or anything but a non-empty string) gives the call no
 * affinity. Called once per chat call that the cache did not answer, with the call's arguments as
 * given (not for a call whose tier or model has a single deployment, where there is nothing to
 * choose, unless it is an `'auto'` call); keep it cheap and synchronous.
 */
export type AffinityKey = (params: TieredChatParams, options: TieredRequestOptions) => string | undefined;

/**
 * The client option `affinity`: the chat calls of one conversation go first to the deployment that
 * answered its last call, while that one is healthy (no open breaker, no `retry-after` cool-down,
 * not drained), so the provider's prompt cache of the conversation stays warm. Only among the first
 * group of equals of the call's route (the requested tier's deployments; for a model id, that
 * model's), under the call's own `providers` and `fallback`: never across tiers. An `'auto'`
 * conversation's tier may rise when the router picks a pricier one, never fall.
 * - `'conversation'`: one conversation is the calls with the same `options.metadata.sessionId` (a
 *   string or a number), or, without one, the same first system message and first user message.
 * - a function ({@link AffinityKey}): the key of a call's conversation.
 * - `false`: every call is routed afresh by `loadBalancing`.
 *
 * The last 10,000 conversations are remembered (docs/guide/fleets.md, "Conversation affinity").
 */
export type AffinityOption = 'conversation' | false | AffinityKey;

/** The `affinity` option, checked and on: how a call's conversation key is made. */
export type AffinityMode = 'conversation' | AffinityKey;

/**
 * Conversations remembered: past it, the one that called least recently is forgotten (its next call
 * is routed as a new one, and pinned again). Full, the table holds about 1.1 MB of heap (measured
 * with node 20: a 27-character key and a pointer per conversation, and lru-cache's arrays).
 */
export const rememberedConversations = 10_000;

/**
 * Conversation affinity: which deployment last answered each recent conversation, so that its next
 * calls go there first while it is healthy, and the provider's prompt cache of that conversation's
 * prefix stays warm. A deployment is healthy while the fallback stage would try it: no open
 * breaker, no `retry-after` cool-down, not drained for slowness. Bounded, no timers.
 */
export class Affinity {
  readonly #pins: LRUCache<string, LiveDeployment>;
  /** The tier of each recent `'auto'` conversation: the router's, never lower than before. */
  readonly #tiers: LRUCache<string, string>;

  constructor(
    private readonly mode: AffinityMode,
    max = rememberedConversations,
  ) {
    this.#pins = new LRUCache({ max });
    this.#tiers = new LRUCache({ max });
  }

  /**
   * The conversation key of a chat call: with `'conversation'`, `options.metadata.sessionId` when it
   * is a non-empty string or a number, else a hash of the conversation's opening ({@link conversationKey});
   * with a function, what it returns.
   */
  keyOf(params: TieredChatParams, options: TieredRequestOptions): string | undefined {
    const { mode } = this;
    if (mode === 'conversation') {
      const session = options.metadata?.['sessionId'];
      if (typeof session === 'string' && session !== '') return session;
      if (typeof session === 'number' && Number.isFinite(session)) return String(session);
      return conversationKey(params.messages);
    }
    let key: unknown;
    try {
      key = mode(params, options);
    } catch {
      // The application's code: its failure costs the call its affinity, not its answer.
      return undefined;
    }
    return typeof key === 'string' && key !== '' ? key : undefined;
  }

  /**
   * The tier an `'auto'` conversation keeps: the one its last answered `'auto'` call was routed to,
   * when it is pricier than the router's `chosen` tier (the conversation never falls); else
   * undefined, and the router's pick stands. A fallback that answered from a pricier tier does not
   * raise it: only the router does.
   */
  keptTier(key: string | undefined, chosen: string, tiers: readonly string[]): string | undefined {
    const tier = key === undefined ? undefined : this.#tiers.peek(key);
    if (tier === undefined) return undefined;
    return tiers.indexOf(tier) > tiers.indexOf(chosen) ? tier : undefined;
  }

  /**
   * The conversation `key` was answered by `live`: its next calls go there first. `autoTier`: the
   * tier an `'auto'` call was routed to, which the conversation keeps.
   */
  remember(key: string | undefined, live: LiveDeployment, autoTier: string | undefined): void {
    if (key === undefined) return;
    this.#pins.set(key, live);
    if (autoTier !== undefined) this.#tiers.set(key, autoTier);
  }

  /**
   * The candidates with the conversation's deployment first, when it is one of the first `equals`
   * (the first group of the route: one tier's, or one model's, deployments under the call's
   * constraints) and healthy; else `candidates` as they are. Never moves a deployment across groups,
   * so a tier's order and a call's `providers.order` hold.
   */
  first(key: string, candidates: readonly LiveDeployment[], equals: number): readonly LiveDeployment[] {
    const pinned = this.#pins.get(key);
    if (pinned === undefined || candidates[0] === pinned) return candidates;
    const at = candidates.indexOf(pinned);
    if (at < 0 || at >= equals || !healthy(pinned)) return candidates;
    const reordered = [pinned];
    for (let i = 0; i < candidates.length; i++) if (i !== at) reordered.push(candidates[i]!);
    return reordered;
  }
}

function healthy(live: LiveDeployment): boolean {
  return skipOf(live) === undefined && !live.drained(Date.now());
}
