import { withinTime } from '../call/timeLimit.js';
import type { Redis } from 'ioredis';
import { ConfigError } from '../errors/ConfigError.js';
import { connectBlockingRedis, connectRedis } from './connectRedis.js';
import { parseRedisUrl, scrub, type RedisUrl } from './redisUrl.js';

/** The options every Redis store takes. */
export interface RedisStoreOptions {
  readonly redis: Redis | string;
  readonly prefix?: string;
  readonly timeoutMs?: number;
}

const defaultTimeoutMs = 250;
// Above this, setTimeout fires at once (it overflows a 32-bit integer).
const maxTimeoutMs = 2 ** 31 - 1;

/** Checks a Redis store's options at construction, naming the offending field; fills in the defaults. */
export function resolveRedisStoreOptions(options: RedisStoreOptions, defaultPrefix: string): Required<RedisStoreOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', 'must be an object', "Give { redis: 'redis://localhost:6379' } or { redis: new Redis() }.");
  }
  const { redis, prefix = defaultPrefix, timeoutMs = defaultTimeoutMs } = options;
  if (typeof prefix !== 'string') throw new ConfigError('prefix', 'must be a string', `E.g. '${defaultPrefix}', or '' for none.`);
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > maxTimeoutMs) {
    throw new ConfigError('timeoutMs', 'must be a positive finite number of milliseconds', `E.g. ${defaultTimeoutMs}.`);
  }
  return { redis, prefix, timeoutMs };
}

/**
 * One store's way to Redis: a connection made from a URL (owned: closed by close()) or an ioredis
 * instance given by the user (left open), and commands that always settle within `timeoutMs`.
 * While Redis is down, commands reject (quickly, or at the latest when their time is up); when it
 * comes back the connection heals by itself. Error messages never show the URL's password.
 */
export class RedisConnection {
  readonly #redis: Redis;
  readonly #owned: boolean;
  readonly #timeoutMs: number;
  readonly #secrets: readonly string[];
  /** Set when the connection was made from a URL: where a second one connects to. */
  readonly #url: RedisUrl | undefined;
  #lastError: Error | undefined;
  #connecting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;

  /** `commands`: the methods a given instance must have to be taken for an ioredis client. */
  constructor(redis: unknown, timeoutMs: number, commands: readonly string[]) {
    this.#timeoutMs = timeoutMs;
    if (typeof redis === 'string') {
      const url = parseRedisUrl(redis);
      this.#url = url;
      this.#secrets = url.secrets;
      this.#redis = connectRedis(url, timeoutMs, (error) => (this.#lastError = error));
      this.#redis.on('ready', () => (this.#lastError = undefined));
      this.#owned = true;
    } else if (hasMethods(redis, commands)) {
      this.#secrets = [];
      this.#url = undefined;
      this.#redis = redis as Redis;
      this.#owned = false;
    } else {
      throw new ConfigError('redis', 'must be an ioredis instance or a redis:// URL', "E.g. 'redis://localhost:6379' or new Redis().");
    }
  }

  /** Closes the connection made from a URL (waiting for pending replies, within `timeoutMs`); leaves a given instance open. */
  close(): Promise<void> {
    this.#closed = true;
    if (!this.#owned) return Promise.resolve();
    this.#closing ??= this.#quit();
    return this.#closing;
  }

  async #quit(): Promise<void> {
    if (this.#redis.status === 'ready') {
      try {
        await this.run('QUIT', (redis) => redis.quit());
        return;
      } catch {
        // Redis went away or is slow: drop the connection instead.
      }
    }
    this.#redis.disconnect();
  }

  /**
   * A connection of its own to the same Redis (see `connectBlockingRedis`), for a blocking read: a
   * read blocking this one would hold up every command. Ours to close, even when this one was given.
   */
  connectBlocking(onError: (error: Error) => void): Redis {
    if (this.#url === undefined && typeof (this.#redis as Partial<Redis>).duplicate !== 'function') {
      throw new Error(
        'The given Redis instance has no duplicate(): it cannot open the connection a blocking read needs. ' +
          'Give the store a redis:// URL or an ioredis instance, or set shareSemanticIndex: false for an index per client.',
      );
    }
    return connectBlockingRedis(this.#url ?? this.#redis, this.#timeoutMs, onError);
  }

  /** The longest wait for one command. */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** `text` without the URL's password: for messages about a connection made by connectBlocking(). */
  scrub(text: string): string {
    return scrub(text, this.#secrets);
  }

  /**
   * Sends one command (or a few, e.g. EVALSHA then EVAL), bounded by `timeoutMs` as a whole; the
   * timer never outlives it nor keeps the process alive. `operation` names it in error messages.
   */
  run<T>(operation: string, send: (redis: Redis) => Promise<T>): Promise<T> {
    if (this.#closed && operation !== 'QUIT') return Promise.reject(new Error(`Redis ${operation} failed: the store is closed`));
    const sent = this.#whenConnected()
      .then(() => send(this.#redis))
      .catch((error: unknown) => {
        throw this.#failure(operation, error);
      });
    return withinTime(sent, this.#timeoutMs, () => {
      throw new Error(`Redis ${operation} timed out after ${this.#timeoutMs} ms`);
    });
  }

  /**
   * Without an offline queue, ioredis refuses every command until the connection is ready, the
   * very first one included: wait for a connection attempt in progress (or start one), not for
   * one still to come, so that calls fail fast while Redis is down. One set of listeners per
   * attempt, however many calls wait on it.
   */
  #whenConnected(): Promise<void> {
    const redis = this.#redis;
    if (redis.options?.enableOfflineQueue !== false || !['wait', 'connecting', 'connect'].includes(redis.status)) {
      return Promise.resolve();
    }
    this.#connecting ??= new Promise<void>((resolve) => {
      const settle = (): void => {
        for (const event of ['ready', 'close', 'end']) redis.off(event, settle);
        this.#connecting = undefined;
        resolve();
      };
      for (const event of ['ready', 'close', 'end']) redis.once(event, settle);
      if (redis.status === 'wait') redis.connect().catch(() => undefined); // its failure reaches 'close' and 'error'
    });
    return this.#connecting;
  }

  /** Says why in words a user can act on: ioredis' own message for a refused command is "Stream isn't writeable". */
  #failure(operation: string, error: unknown): Error {
    const status = this.#redis.status;
    let reason = error instanceof Error ? error.message : String(error);
    if (status !== 'ready') {
      reason = `not connected (${status})` + (this.#lastError === undefined ? '' : `, last error: ${this.#lastError.message}`);
    }
    return new Error(scrub(`Redis ${operation} failed: ${reason}`, this.#secrets), { cause: error });
  }
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return names.every((name) => typeof candidate[name] === 'function');
}
