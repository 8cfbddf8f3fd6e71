import type { ClientOptions } from 'openai';
import type { Agent, fetch as undiciFetch } from 'undici';
import { ConfigError } from '../errors/ConfigError.js';
import { requirePeer } from './requirePeer.js';
import type { KeyedProviderConfig, ProviderConnections } from './types.js';

/** The part of undici 6 a pool uses. */
interface Undici {
  Agent: new (options: Agent.Options) => Agent;
  fetch: typeof undiciFetch;
}

type Fetch = NonNullable<ClientOptions['fetch']>;
type FetchOptions = NonNullable<ClientOptions['fetchOptions']>;

/**
 * The keep-alive connection pool of one provider (its `connections`): an undici `Agent`, and undici's
 * own `fetch` to send through it. Not Node's global `fetch` with the agent as its dispatcher: that
 * `fetch` is the undici bundled with Node, whose major may not be the installed one's, and a
 * dispatcher of another major fails every request (`invalid onError method`, `invalid
 * onRequestStart method`). One package for both works on every Node.
 */
export class ConnectionPool {
  // Private, so that no declaration of ours names an undici type: a project without undici installed
  // must type-check against them (skipLibCheck: false).
  readonly #dispatcher: Agent;
  /** The `fetch` of the provider's `openai` clients: through the pool until it is closed. */
  readonly #fetch: Fetch;
  #closed = false;
  /** What serves requests after close(): one connection each, closed when answered. */
  #afterClose: Agent | undefined;

  /** @throws ConfigError naming `field` (`providers.x.connections`) when undici is not installed */
  constructor(connections: ProviderConnections, field: string) {
    const undici = requirePeer('undici') as Undici | undefined;
    if (undici === undefined) {
      throw new ConfigError(
        field,
        'needs the package undici, which is not installed',
        'npm install undici@6 (an optional peer dependency of tiered-llm), or remove connections.',
      );
    }
    const { keepAliveMs, max } = connections;
    this.#dispatcher = new undici.Agent({
      // The server's own Keep-Alive hint still wins when shorter (a socket it closed must not be reused).
      ...(keepAliveMs === undefined ? {} : { keepAliveTimeout: keepAliveMs, keepAliveMaxTimeout: keepAliveMs }),
      ...(max === undefined ? {} : { connections: max }),
    });
    const { fetch, Agent } = undici;
    // After close(), a retry or fallback of a call still in flight does not fail against the closed
    // pool: it gets a connection of its own, never kept alive (pipelining 0), so nothing stays open.
    // (Not undici's global agent: on a newer Node it may be the bundled undici's, of another major.)
    const afterClose = (): Agent => (this.#afterClose ??= new Agent({ pipelining: 0 }));
    this.#fetch = ((url, init) =>
      this.#closed ? fetch(url as never, { ...init, dispatcher: afterClose() } as never) : fetch(url as never, init as never)) as Fetch;
  }

  /**
   * Closes the pool: idle connections at once, busy ones once the requests they carry (those sent,
   * and those waiting for a connection) have been answered. Returns at once: a stream the
   * application never finishes reading must not hold `client.close()` up.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dispatcher.close().catch(noop);
  }

  /** The `openai` client options that send its requests through this pool, with `fetchOptions` of their own. */
  clientOptions(fetchOptions: FetchOptions): Pick<ClientOptions, 'fetch' | 'fetchOptions'> {
    // Node's RequestInit types its `dispatcher` with undici-types, a copy of undici's own.
    return {
      fetch: this.#fetch,
      fetchOptions: { ...fetchOptions, dispatcher: this.#dispatcher as unknown as NonNullable<RequestInit['dispatcher']> },
    };
  }
}

const noop = (): void => {};

/**
 * The `fetch` and `fetchOptions` of a client we make for a keyed provider: redirects left to us
 * (ProviderClient) unless the provider follows them, and its pool when it has one.
 */
export function fetchSettings(
  provider: KeyedProviderConfig,
  pool: ConnectionPool | undefined,
): Pick<ClientOptions, 'fetch' | 'fetchOptions'> {
  const fetchOptions: FetchOptions = provider.followRedirects === true ? {} : { redirect: 'manual' };
  if (pool !== undefined) return pool.clientOptions(fetchOptions);
  return provider.followRedirects === true ? {} : { fetchOptions };
}
