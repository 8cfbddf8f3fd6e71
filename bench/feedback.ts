/**
 * npm run bench:feedback: what `client.feedback()` costs, and what remembering answered requests
 * adds to a call. A client on the in-process mock answers 10,000 requests (one call, then cache
 * hits), so its memory of request ids is full, as in production; then `feedback()` is timed over
 * every remembered id, a score each (each replacing the last), with and without a `feedback`
 * listener, and for unknown ids. Goal: under 2 µs a feedback. The cost to a call is one LRU set on a
 * full LRU of 10,000 (what the ledger does per answered call), timed alone.
 *   npm run bench:feedback [-- --rounds 15]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { LRUCache } from 'lru-cache';
import { createTieredClient } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';
import { benchCatalog, messages } from './catalog.js';
import { median } from './stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('bench:feedback: --rounds takes a positive integer');
const remembered = 10_000;

const mock = await startMockOpenAI();
const client = createTieredClient({ catalog: benchCatalog(mock.url), cache: {} });
const ids: string[] = [];
for (let i = 0; i < remembered; i++) ids.push((await client.tieredChat({ model: 'economy', messages })).requestId);
const unknown = ids.map(() => randomUUID());

/** Nanoseconds per feedback over `requestIds`, median of the rounds. */
function timeFeedback(requestIds: readonly string[], expected: boolean): number {
  const perCall: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const score = { score: (round % 10) / 10 };
    const started = process.hrtime.bigint();
    for (const id of requestIds) if (client.feedback(id, score) !== expected) throw new Error('bench:feedback: unexpected result');
    perCall.push(Number(process.hrtime.bigint() - started) / requestIds.length);
  }
  return median(perCall);
}

/** Nanoseconds per set on a full LRU of `remembered` entries, as the ledger does once per answered call. */
function timeRemember(): number {
  const lru = new LRUCache<string, object>({ max: remembered });
  const fresh = Array.from({ length: remembered }, () => randomUUID());
  for (const id of ids) lru.set(id, { tier: 'economy', model: 'bench-model', provider: 'local', given: undefined });
  const perSet: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const keys = round % 2 === 0 ? fresh : ids;
    const started = process.hrtime.bigint();
    for (const id of keys) lru.set(id, { tier: 'economy', model: 'bench-model', provider: 'local', given: undefined });
    perSet.push(Number(process.hrtime.bigint() - started) / keys.length);
  }
  return median(perSet);
}

timeFeedback(ids, true); // warm up the JIT
const quiet = timeFeedback(ids, true);
const off = client.on('feedback', () => {});
const heard = timeFeedback(ids, true);
off();
const missing = timeFeedback(unknown, false);
timeRemember(); // warm up the JIT
const remember = timeRemember();

console.log(`${remembered} remembered requests, ${rounds} rounds over all of them (node ${process.version})`);
console.log(`feedback(), nobody listening:   ${(quiet / 1000).toFixed(3)} µs`);
console.log(`feedback(), a listener:         ${(heard / 1000).toFixed(3)} µs`);
console.log(`feedback(), an unknown id:      ${(missing / 1000).toFixed(3)} µs`);
console.log(`remembering an answered call:   ${(remember / 1000).toFixed(3)} µs (one LRU set on a full LRU)`);
console.log(`goal < 2 µs a feedback: ${Math.max(quiet, heard) < 2_000 ? 'met' : 'missed'}`);
await client.close();
await mock.close();
