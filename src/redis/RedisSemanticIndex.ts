import { randomBytes } from 'node:crypto';
import type {
  SemanticIndexEntry,
  SemanticIndexFeed,
  SemanticIndexFollowOptions,
  SharedSemanticIndex,
} from '../cache/SharedSemanticIndex.js';
import type { RedisConnection } from './RedisConnection.js';
import { redisStreamReader } from './redisStreamReader.js';
import { decodeEntry, encodeEntry } from './semanticStreamEntry.js';
import { StreamFollower, type StreamRecord } from './StreamFollower.js';

/** Longest wait of a follower's blocking read: a dead connection is noticed within it (plus a second). */
const blockMs = 5_000;
/** Entries per read while catching up: some 1.5 MB at 1,536 dimensions. */
const batch = 256;
const noop = (): void => {};

/**
 * The semantic index shared through a Redis stream, `prefix + 'semantic'` (see `RedisCacheStore`):
 * each entry a client indexes is added to it (XADD, `MAXLEN ~ maxEntries`, the stream expiring
 * `ttlMs` after its last entry), and each client follows it with XREAD BLOCK on a connection of
 * its own, from the beginning of the stream.
 *
 * Why a blocking read on a second connection rather than polling on the store's: an entry reaches
 * the other processes within a round trip, not a polling interval, and a process waiting for
 * nothing sends nothing; the cost is one more connection per client. A blocking read must not
 * share the store's connection, whose every command would wait behind it.
 */
export class RedisSemanticIndex implements SharedSemanticIndex {
  readonly #feeds = new Set<RedisSemanticFeed>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly key: string,
  ) {}

  /** Starts following the stream, from its beginning; `stop()` (or the store's close()) ends it. */
  follow(options: SemanticIndexFollowOptions): SemanticIndexFeed {
    const feed = new RedisSemanticFeed(this.connection, this.key, options, () => this.#feeds.delete(feed));
    this.#feeds.add(feed);
    return feed;
  }

  /** Stops every follower of this store's stream (the store is closing). */
  async close(): Promise<void> {
    await Promise.all([...this.#feeds].map((feed) => feed.stop()));
  }
}

/** One client's membership: its follower (its own connection) and its publishing (the store's). */
class RedisSemanticFeed implements SemanticIndexFeed {
  readonly ready: Promise<void>;
  /** Tags what this client publishes, so that its follower skips it. */
  readonly #origin = randomBytes(9).toString('base64url');
  readonly #follower: StreamFollower;
  #stopped = false;

  constructor(
    private readonly connection: RedisConnection,
    private readonly key: string,
    private readonly options: SemanticIndexFollowOptions,
    private readonly onStop: () => void,
  ) {
    // Its connection errors are its reads' failures, reported through them: this listener only keeps ioredis quiet.
    const redis = connection.connectBlocking(noop);
    const timeoutMs = Math.max(connection.timeoutMs, 1_000); // a batch of vectors may take longer than one GET
    const reader = redisStreamReader(redis, { key, batch, blockMs, timeoutMs, scrub: (text) => connection.scrub(text) });
    this.#follower = new StreamFollower(reader, batch, this.#take, options.onError);
    this.ready = this.#follower.ready;
  }

  publish(entry: SemanticIndexEntry): void {
    if (this.#stopped) return;
    const { maxEntries, ttlMs } = this.options;
    const fields = encodeEntry(this.#origin, entry);
    this.connection
      .run('XADD', async (redis) => {
        const transaction = redis.multi().xadd(this.key, 'MAXLEN', '~', maxEntries, '*', ...fields);
        // The stream outlives its last entry's answer by nothing: a quiet app leaves no stream behind.
        if (Number.isFinite(ttlMs)) transaction.pexpire(this.key, Math.ceil(ttlMs));
        const failed = (await transaction.exec())?.find(([error]) => error !== null)?.[0];
        if (failed) throw failed;
      })
      .catch((error: unknown) => this.#follower.failed(error));
  }

  async stop(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.onStop();
    }
    await this.#follower.stop();
  }

  readonly #take = (record: StreamRecord): void => {
    const published = decodeEntry(record.fields);
    if (published === undefined || published.origin === this.#origin) return;
    this.options.onEntry(published.entry);
  };
}
