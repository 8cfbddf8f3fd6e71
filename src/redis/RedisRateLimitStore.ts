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
// replication, asked for here.) A key's hash holds one bucket per second, `r:<second>` (requests)
// and `t:<second>` (tokens), which counts while it is one of the last 60 seconds, now included;
// beside them the running totals of those buckets, `R` and `T`, and `last`, the second up to which
// older buckets have been taken out of the totals and deleted. The totals make a call cost about
// the same on a key busy all minute as on an empty one: each acquire takes out only the seconds
// that left the window since the last one (usually none or one), rather than reading every bucket.
const prelude = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1])
local oldest = now - 59
local key = KEYS[1]
`;

// ARGV: tokens, rpm ('' for none), tpm ('' for none). Replies {1, second} or {0, retryInMs}, where
// -1 means never: the request does not fit even in an empty window.
//
// The totals are counted again from the buckets (one HGETALL, as every call did before the totals)
// when the hash has none (a new key, or one written by a version that kept no totals) or when more
// than 60 seconds are to be taken out (a clock that jumped): the buckets are the truth, the totals
// a cache of them. A window without requests has no tokens either, which clears whatever rounding
// the tokens' running total has gathered.
const acquireScript = `${prelude}
local tokens, rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local function full(r, u) return (rpm ~= nil and r + 1 > rpm) or (tpm ~= nil and u + tokens > tpm) end
if full(0, 0) then return {0, -1} end
local state = redis.call('HMGET', key, 'R', 'T', 'last')
local requests, used, last = tonumber(state[1]), tonumber(state[2]), tonumber(state[3])
local stale = {}
if requests == nil or used == nil or last == nil or last >= now or now - 60 - last > 60 then
  requests, used = 0, 0
  local fields = redis.call('HGETALL', key)
  for i = 1, #fields, 2 do
    local name = fields[i]
    if name ~= 'R' and name ~= 'T' and name ~= 'last' then
      local kind, second = string.sub(name, 1, 2), tonumber(string.sub(name, 3))
      if second == nil or second < oldest or (kind ~= 'r:' and kind ~= 't:') then
        stale[#stale + 1] = name
      elseif kind == 'r:' then
        requests = requests + tonumber(fields[i + 1])
      else
        used = used + tonumber(fields[i + 1])
      end
    end
  end
  last = now - 60
elseif last < now - 60 then
  local leaving = {}
  for second = last + 1, now - 60 do
    local s = string.format('%d', second)
    leaving[#leaving + 1] = 'r:' .. s
    leaving[#leaving + 1] = 't:' .. s
  end
  local counts = redis.call('HMGET', key, unpack(leaving))
  for i = 1, #leaving do
    if counts[i] then
      stale[#stale + 1] = leaving[i]
      if i % 2 == 1 then requests = requests - tonumber(counts[i]) else used = used - tonumber(counts[i]) end
    end
  end
  last = now - 60
end
if requests <= 0 then requests, used = 0, 0 elseif used < 0 then used = 0 end
local moved = #stale > 0 or tonumber(state[3]) ~= last
if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
if full(requests, used) then
  if moved then redis.call('HSET', key, 'R', string.format('%d', requests), 'T', string.format('%.17g', used), 'last', string.format('%d', last)) end
  local nowMs = now * 1000 + math.floor(tonumber(t[2]) / 1000)
  for second = oldest, now do
    local s = string.format('%d', second)
    local bucket = redis.call('HMGET', key, 'r:' .. s, 't:' .. s)
    requests = requests - (tonumber(bucket[1]) or 0)
    used = used - (tonumber(bucket[2]) or 0)
    if not full(requests, used) then return {0, (second + 60) * 1000 - nowMs} end
  end
  return {0, (now + 60) * 1000 - nowMs} -- rounding left a trace of tokens: room once every bucket has left
end
local second = string.format('%d', now)
redis.call('HINCRBY', key, 'r:' .. second, 1)
if tokens > 0 then redis.call('HINCRBYFLOAT', key, 't:' .. second, ARGV[1]) end
redis.call('HSET', key, 'R', string.format('%d', requests + 1), 'T', string.format('%.17g', used + tokens), 'last', string.format('%d', last))
redis.call('PEXPIRE', key, 61000)
return {1, now}
`;

// ARGV: second, deltaTokens. A second that has left the window, or that holds no grant, is left
// alone (nothing is resurrected); tokens never go below 0, in the bucket or in the total, which
// moves by what the bucket moved. (A hash without totals gets them counted by its next acquire.)
const settleScript = `${prelude}
local second = tonumber(ARGV[1])
local field = 't:' .. ARGV[1]
if second < oldest or redis.call('HEXISTS', key, 'r:' .. ARGV[1]) == 0 then return 0 end
local before = redis.call('HGET', key, field) or '0'
local delta = ARGV[2]
if tonumber(before) + tonumber(delta) < 0 then
  redis.call('HSET', key, field, '0')
  delta = '-' .. before
else
  redis.call('HINCRBYFLOAT', key, field, delta)
end
if redis.call('HEXISTS', key, 'T') == 1 and tonumber(redis.call('HINCRBYFLOAT', key, 'T', delta)) < 0 then
  redis.call('HSET', key, 'T', '0')
end
return 1
`;

/**
 * A {@link RateLimitStore} in Redis, so that processes on many machines share each deployment's
 * requests and tokens per minute. `acquire` is one Lua script, which Redis runs atomically: between
 * reading a deployment's counts over the last 60 one-second buckets and counting a request in the
 * current one, no other process can count anything. Seconds follow Redis' clock; a key's buckets
 * are one hash, `prefix + key`, with fields `r:<second>` and `t:<second>` beside their running
 * totals `R` and `T` (and `last`, how far the window has slid), pruned as the window slides and
 * expiring 61 s after the last grant. A grant costs about the same on a key busy all minute as on
 * an empty one (a few hash operations); only a refusal reads the buckets, from the oldest on, to say
 * when there will be room. A hash written by an earlier version (buckets without totals) is read
 * correctly: its totals are counted from its buckets on its first acquire.
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
