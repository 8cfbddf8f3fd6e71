import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Runs a Lua script on one key by its SHA1 (EVALSHA), sending its source (EVAL) only when Redis
 * does not have it yet: after a restart, a failover or SCRIPT FLUSH. Redis runs a script
 * atomically, which is what the stores rely on.
 */
export async function evalScript(redis: Redis, source: string, key: string, argv: readonly string[]): Promise<unknown> {
  try {
    return await redis.evalsha(sha1(source), 1, key, ...argv);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return await redis.eval(source, 1, key, ...argv);
  }
}

const hashes = new Map<string, string>();
const sha1 = (source: string): string => {
  let hash = hashes.get(source);
  if (hash === undefined) hashes.set(source, (hash = createHash('sha1').update(source).digest('hex')));
  return hash;
};
