import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { checkBudgetArgument, roundUsd, type BudgetStore, type Reservation } from '../budget/BudgetStore.js';
import { evalScript } from './evalScript.js';
import { RedisConnection, resolveRedisStoreOptions } from './RedisConnection.js';

/** Options of {@link RedisBudgetStore}. */
export interface RedisBudgetStoreOptions {
  /** An ioredis instance (yours: not closed by close()) or a redis:// URL (ours: closed by close()). */
  readonly redis: Redis | string;
  /** Key prefix: a window's spend is under `prefix + key + ':' + window`. @default 'tiered-llm:budget:' */
  readonly prefix?: string;
  /** Longest wait for one call to Redis before it rejects. @default 250 */
  readonly timeoutMs?: number;
}

// Every script reads the window from Redis' own clock: processes on many machines then agree on
// where a window ends, whatever their clocks say. KEYS[1] is `prefix + key`, the window's key is
// built from it. (Before Redis 5, writing after TIME needs effects replication, asked for here.)
const prelude = `
if redis.replicate_commands then redis.replicate_commands() end
local function window(windowMs)
  local t = redis.call('TIME')
  return math.floor((tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)) / windowMs)
end
`;

// ARGV: amountUsd, limitUsd, windowMs, ttlMs. Replies {1, window, spent} or {0, spent}.
const reserveScript = `${prelude}
local w = window(tonumber(ARGV[3]))
local name = KEYS[1] .. ':' .. string.format('%d', w)
local spent = redis.call('GET', name) or '0'
if math.floor((tonumber(spent) + tonumber(ARGV[1])) * 1e12 + 0.5) / 1e12 > tonumber(ARGV[2]) then return {0, spent} end
local total = redis.call('INCRBYFLOAT', name, ARGV[1])
redis.call('PEXPIRE', name, ARGV[4])
return {1, w, total}
`;

// KEYS[1]: the reservation's window key. ARGV: actual - reserved. An expired window stays gone;
// the spend never goes below 0 (floating point), and the window keeps its expiry.
const settleScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if tonumber(redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])) < 0 then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('SET', KEYS[1], '0', 'PX', ttl) else redis.call('SET', KEYS[1], '0') end
end
return 1
`;

// ARGV: amountUsd, windowMs, ttlMs.
const recordScript = `${prelude}
local name = KEYS[1] .. ':' .. string.format('%d', window(tonumber(ARGV[2])))
redis.call('INCRBYFLOAT', name, ARGV[1])
redis.call('PEXPIRE', name, ARGV[3])
return 1
`;

// ARGV: windowMs.
const spentScript = `${prelude}
return redis.call('GET', KEYS[1] .. ':' .. string.format('%d', window(tonumber(ARGV[1])))) or '0'
`;

/**
 * A {@link BudgetStore} in Redis, so that processes on many machines share one budget. Each
 * operation is one Lua script, which Redis runs atomically: between reading a window's spend and
 * adding a reservation to it, no other process can add anything. Windows follow Redis' clock and
 * expire in Redis itself, two windows after they were last written to.
 *
 * Every call settles within `timeoutMs`: while Redis is down, calls reject (quickly, or at the
 * latest when their time is up); when Redis comes back the store reconnects by itself.
 */
export class RedisBudgetStore implements BudgetStore {
  readonly #connection: RedisConnection;
  readonly #prefix: string;

  constructor(options: RedisBudgetStoreOptions) {
    const { redis, prefix, timeoutMs } = resolveRedisStoreOptions(options, 'tiered-llm:budget:');
    this.#prefix = prefix;
    this.#connection = new RedisConnection(redis, timeoutMs, ['evalsha', 'eval']);
  }

  async reserve(key: string, amountUsd: number, limitUsd: number, windowMs: number): Promise<Reservation> {
    checkBudgetArgument('reserve', 'amountUsd', amountUsd);
    checkBudgetArgument('reserve', 'limitUsd', limitUsd);
    checkBudgetArgument('reserve', 'windowMs', windowMs);
    const reply = await this.#script('reserve', reserveScript, this.#prefix + key, amountUsd, limitUsd, windowMs, ttlOf(windowMs));
    const [granted, ...rest] = reply as [1, number, string] | [0, string];
    if (granted === 0) return { ok: false, spentUsd: roundUsd(Number(rest[0])) };
    const [window, spent] = rest as [number, string];
    return { ok: true, id: randomUUID(), window, spentUsd: roundUsd(Number(spent)) };
  }

  /** Settling into a window that has expired changes nothing: it stays gone. */
  async settle(
    key: string,
    reservation: { readonly id: string; readonly window: number },
    reservedUsd: number,
    actualUsd: number,
    windowMs: number,
  ): Promise<void> {
    checkBudgetArgument('settle', 'reservedUsd', reservedUsd);
    checkBudgetArgument('settle', 'actualUsd', actualUsd);
    checkBudgetArgument('settle', 'windowMs', windowMs);
    const deltaUsd = roundUsd(actualUsd - reservedUsd);
    if (deltaUsd === 0) return;
    await this.#script('settle', settleScript, `${this.#prefix}${key}:${reservation.window}`, deltaUsd);
  }

  async record(key: string, amountUsd: number, windowMs: number): Promise<void> {
    checkBudgetArgument('record', 'amountUsd', amountUsd);
    checkBudgetArgument('record', 'windowMs', windowMs);
    if (amountUsd === 0) return;
    await this.#script('record', recordScript, this.#prefix + key, amountUsd, windowMs, ttlOf(windowMs));
  }

  async spent(key: string, windowMs: number): Promise<number> {
    checkBudgetArgument('spent', 'windowMs', windowMs);
    return roundUsd(Number(await this.#script('spent', spentScript, this.#prefix + key, windowMs)));
  }

  /** Closes the connection made from a URL (waiting for pending replies, within `timeoutMs`); leaves a given instance open. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  /** Runs a script on one key by its SHA1, sending its source only when Redis does not have it yet; within `timeoutMs` as a whole. */
  #script(operation: string, source: string, key: string, ...args: number[]): Promise<unknown> {
    const argv = args.map(String);
    return this.#connection.run(`budget ${operation}`, (redis) => evalScript(redis, source, key, argv));
  }
}

/** Old windows vanish by themselves: two windows after their last write. */
const ttlOf = (windowMs: number): number => Math.ceil(2 * windowMs);
