import type { Redis } from 'ioredis';
import type { RateLimitGrant, RateLimitStore, RateLimitWindow } from '../limits/RateLimitStore.js';
import { evalScript } from './evalScript.js';
import { RedisConnection, resolveRedisStoreOptions } from './RedisConnection.js';

/** Options of {@link RedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** An ioredis instance (yours: not closed by close()) or a redis:// URL (ours: closed by close()). */
  readonly redis: Redis | string;
  /** Key prefix: a deployment's counts are the hash `prefix + key`. @default 'tiered-llm:ratelimit:' */
  readonly prefix?: string;
  /** Longest wait for one call to Redis before it rejects. @default 250 */
  readonly timeoutMs?: number;
}

// Both scripts read the second from Redis' own clock, so processes on many machines agree on what
// the last 60 s are, whatever their clocks say. (Before Redis 5, writing after TIME needs effects
// replication, asked for here.) A key's hash holds `r:<second>` (requests) and `t:<second>`
// (tokens); a bucket counts while it is one of the last 60 seconds, now included.
const prelude = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1])
local oldest = now - 59
`;

// ARGV: tokens, rpm ('' for none), tpm ('' for none). Replies {1, second} or {0, retryInMs}, where
// -1 means never: the request does not fit even in an empty window. Every field is read once
// (HGETALL): the hash never holds more than about two per second of the window, since fields
// older than it are deleted here and the hash expires 61 s after its last grant.
const acquireScript = `${prelude}
local key = KEYS[1]
local tokens, rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local fields = redis.call('HGETALL', key)
local requestsAt, tokensAt, stale = {}, {}, {}
local requests, used = 0, 0
for i = 1, #fields, 2 do
  local second = tonumber(string.sub(fields[i], 3))
  if second == nil or second < oldest then
    stale[#stale + 1] = fields[i]
  else
    -- A second ahead of now (Redis' clock stepped back) counts as now.
    if second > now then second = now end
    local count = tonumber(fields[i + 1])
    if string.sub(fields[i], 1, 1) == 'r' then
      requestsAt[second] = (requestsAt[second] or 0) + count
      requests = requests + count
    else
      tokensAt[second] = (tokensAt[second] or 0) + count
      used = used + count
    end
  end
end
if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
local function full(r, u) return (rpm ~= nil and r + 1 > rpm) or (tpm ~= nil and u + tokens > tpm) end
if full(0, 0) then return {0, -1} end
if full(requests, used) then
  local nowMs = now * 1000 + math.floor(tonumber(t[2]) / 1000)
  for second = oldest, now do
    requests = requests - (requestsAt[second] or 0)
    used = used - (tokensAt[second] or 0)
    if not full(requests, used) then return {0, (second + 60) * 1000 - nowMs} end
  end
  return {0, (now + 60) * 1000 - nowMs} -- rounding left a trace of tokens: room once every bucket has left
end
local second = string.format('%d', now)
redis.call('HINCRBY', key, 'r:' .. second, 1)
if tokens > 0 then redis.call('HINCRBYFLOAT', key, 't:' .. second, ARGV[1]) end
redis.call('PEXPIRE', key, 61000)
return {1, now}
`;

// ARGV: second, deltaTokens. A second that has left the window, or that holds no grant, is left
// alone (nothing is resurrected); tokens never go below 0.
const settleScript = `${prelude}
local second = tonumber(ARGV[1])
if second < oldest or redis.call('HEXISTS', KEYS[1], 'r:' .. ARGV[1]) == 0 then return 0 end
local field = 't:' .. ARGV[1]
if tonumber(redis.call('HINCRBYFLOAT', KEYS[1], field, ARGV[2])) < 0 then redis.call('HSET', KEYS[1], field, '0') end
return 1
`;

/**
 * A {@link RateLimitStore} in Redis, so that processes on many machines share each deployment's
 * requests and tokens per minute. `acquire` is one Lua script, which Redis runs atomically: between
 * summing a deployment's last 60 one-second buckets and counting a request in the current one, no
 * other process can count anything. Seconds follow Redis' clock; a key's buckets are one hash,
 * `prefix + key`, with fields `r:<second>` and `t:<second>`, pruned as the window slides and
 * expiring 61 s after the last grant. Each call is O(60).
 *
 * A request that could never fit (more tokens than `tpm`, or an `rpm` below 1) is refused with
 * `retryInMs: Infinity`, so that nobody waits for it.
 *
 * Every call settles within `timeoutMs`: while Redis is down, calls reject (quickly, or at the
 * latest when their time is up), which the client turns into a `rateLimit:error` event and counts
 * in the process meanwhile; when Redis comes back the store reconnects by itself.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #connection: RedisConnection;
  readonly #prefix: string;

  constructor(options: RedisRateLimitStoreOptions) {
    const { redis, prefix, timeoutMs } = resolveRedisStoreOptions(options, 'tiered-llm:ratelimit:');
    this.#prefix = prefix;
    this.#connection = new RedisConnection(redis, timeoutMs, ['evalsha', 'eval']);
  }

  async acquire(key: string, tokens: number, limits: RateLimitWindow): Promise<RateLimitGrant> {
    const { rpm, tpm } = limits;
    check('acquire', 'tokens', tokens);
    if (rpm !== undefined) check('acquire', 'limits.rpm', rpm);
    if (tpm !== undefined) check('acquire', 'limits.tpm', tpm);
    const argv = [String(tokens), String(rpm ?? ''), String(tpm ?? '')];
    const [granted, value] = (await this.#script('acquire', acquireScript, key, argv)) as [0 | 1, number];
    if (granted === 1) return { ok: true, second: value };
    return { ok: false, retryInMs: value < 0 ? Infinity : value };
  }

  /** Settling a grant whose second has left the window changes nothing; a deployment's tokens never go below 0. */
  async settle(key: string, second: number, deltaTokens: number): Promise<void> {
    if (!Number.isSafeInteger(second)) throw new RangeError(`Rate limit settle: second must be an integer, got ${String(second)}`);
    if (typeof deltaTokens !== 'number' || !Number.isFinite(deltaTokens)) {
      throw new RangeError(`Rate limit settle: deltaTokens must be a finite number, got ${String(deltaTokens)}`);
    }
    if (deltaTokens === 0) return;
    await this.#script('settle', settleScript, key, [String(second), String(deltaTokens)]);
  }

  /** Closes the connection made from a URL (waiting for pending replies, within `timeoutMs`); leaves a given instance open. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  /** Runs a script on one deployment's hash, within `timeoutMs` as a whole. */
  #script(operation: string, source: string, key: string, argv: readonly string[]): Promise<unknown> {
    if (typeof key !== 'string') return Promise.reject(new TypeError(`Rate limit ${operation}: key must be a string`));
    return this.#connection.run(`rate limit ${operation}`, (redis) => evalScript(redis, source, this.#prefix + key, argv));
  }
}

function check(operation: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`Rate limit ${operation}: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
}
