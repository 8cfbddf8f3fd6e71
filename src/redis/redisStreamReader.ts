import type { Redis } from 'ioredis';
import { withinTime } from '../call/timeLimit.js';
import type { StreamReader, StreamRecord } from './StreamFollower.js';

/** How a {@link redisStreamReader} reads. */
export interface StreamReading {
  /** The stream's key. */
  readonly key: string;
  /** Most entries per read. */
  readonly batch: number;
  /** Longest wait of a blocking read for a new entry (XREAD BLOCK). */
  readonly blockMs: number;
  /** Longest wait for a reply beyond `blockMs`: past it the connection is taken for dead, dropped and made anew. */
  readonly timeoutMs: number;
  /** Takes the URL's password out of an error message. */
  readonly scrub: (text: string) => string;
}

type XReadReply = [key: Buffer, entries: [id: Buffer, fields: Buffer[]][]][] | null;

/**
 * Reads a stream with XREAD on `redis`, a connection of its own (see `connectBlockingRedis`): a
 * blocking read holds its connection for up to `blockMs`. Connects (again) before a read when the
 * connection is not up; a failure rejects, naming XREAD, for the follower to pause and retry.
 * `connect()` itself is bounded by ioredis' `connectTimeout`.
 */
export function redisStreamReader(redis: Redis, reading: StreamReading): StreamReader {
  const { key, batch, blockMs, timeoutMs, scrub } = reading;
  const dropped = (): never => {
    redis.disconnect(); // a half-open connection: the read in flight rejects, the next one connects afresh
    throw new Error(`no reply within ${timeoutMs} ms`);
  };
  return {
    async read(after, block) {
      try {
        if (redis.status === 'wait' || redis.status === 'end') await redis.connect();
        const reading = block
          ? redis.xreadBuffer('COUNT', batch, 'BLOCK', blockMs, 'STREAMS', key, after)
          : redis.xreadBuffer('COUNT', batch, 'STREAMS', key, after);
        // Our own timer, unref'd, rather than ioredis' socketTimeout, whose timer would hold the process.
        const reply = (await withinTime(reading, (block ? blockMs : 0) + timeoutMs, dropped)) as XReadReply;
        return records(reply);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(scrub(`Redis XREAD failed: ${reason}`), { cause: error });
      }
    },
    close() {
      // Interrupts a blocking read at once (QUIT would wait behind it). 'end': no socket, nothing armed.
      if (redis.status !== 'end') redis.disconnect();
    },
  };
}

function records(reply: XReadReply): StreamRecord[] {
  const entries = reply?.[0]?.[1] ?? [];
  return entries.map(([id, fields]) => ({ id: id.toString(), fields }));
}
