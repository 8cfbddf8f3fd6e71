/**
 * What a deployment's `limits` add to a chat call: the rate-limit stage as the fallback walk runs it
 * for a deployment with `rpm`, `tpm` and `maxConcurrent` on the client's in-process store (a slot
 * taken, the call's tokens estimated and counted in the sliding minute), the slot given back, and the
 * tokens settled from the answer's usage. Goal: under 5 µs a call. Measured on the module itself
 * against the same loop without limits (a `Call` made and disposed either way), per scenario: the
 * median over rounds of the mean time per call.
 *   npx tsx --tsconfig bench/tsconfig.json bench/limits.ts [-- --rounds 15]
 */
import { parseArgs } from 'node:util';
import type { CachedAnswer } from '../src/cache/CachedAnswer.js';
import { Call } from '../src/call/Call.js';
import type { TieredChatParams, TieredRequestOptions } from '../src/call/requests.js';
import { defineCatalog } from '../src/catalog/defineCatalog.js';
import { chatKind } from '../src/client/kinds/chatKind.js';
import { DeploymentRate } from '../src/limits/DeploymentRate.js';
import { RateLimiter } from '../src/limits/RateLimiter.js';
import { resolveRateLimitOptions } from '../src/limits/resolveRateLimitOptions.js';
import { Redactor } from '../src/telemetry/Redactor.js';
import { Telemetry } from '../src/telemetry/Telemetry.js';
import { median } from './stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('bench/limits: --rounds takes a positive integer');

const catalog = defineCatalog({
  providers: { a: { apiKey: 'sk-bench-a', baseURL: 'http://127.0.0.1:9/v1' } },
  tiers: ['economy'],
  models: [
    {
      id: 'm',
      provider: 'a',
      tier: 'economy',
      inputCostPerMTok: 0.1,
      outputCostPerMTok: 0.4,
      contextWindow: 128_000,
      // Never reached in the loop: every check passes and counts, as in a deployment with room.
      limits: { rpm: 1e12, tpm: 1e15, maxConcurrent: 1_000 },
    },
  ],
});
const rate = new DeploymentRate(catalog.deployments[0]!);
const limiter = new RateLimiter(resolveRateLimitOptions(undefined, { waitMs: 0 }), new Telemetry(), new Redactor([]));
const limits = { attemptTimeoutMs: 60_000, firstTokenMs: 10_000, idleMs: 30_000, retries: 2, deadlineMs: 120_000 };
const caching = { namespace: '', key: undefined };
const none: TieredRequestOptions = {};
const upstream = {};

const system = `You are the support agent of ACME Corp. ${'Follow the policies below. '.repeat(55)}`; // ~1,500 characters
function paramsOf(i: number, extra: object = {}): TieredChatParams {
  return {
    model: 'economy',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: `Customer ${i}: my order has not arrived, what can I do? It was due last week.` },
    ],
    ...extra,
  };
}
const answer = (tokens: number): CachedAnswer =>
  ({ model: 'm', provider: 'a', tier: 'economy', usage: { inputTokens: tokens, outputTokens: 20, cachedInputTokens: 0 } }) as CachedAnswer;
const answered = answer(400);

/** Nanoseconds per call of `step` over `calls`, median of the rounds. */
function time(calls: readonly TieredChatParams[], step: (call: Call) => void): number {
  const perCall: number[] = [];
  for (let round = 0; round < rounds + 2; round++) {
    const started = process.hrtime.bigint();
    for (const params of calls) {
      const call = new Call(params, none, limits, caching, upstream, chatKind);
      step(call);
      call.scope.dispose();
    }
    // The first two rounds warm up.
    if (round >= 2) perCall.push(Number(process.hrtime.bigint() - started) / calls.length);
  }
  return median(perCall);
}

const nothing = (): void => {};
const limited = (call: Call): void => {
  if (limiter.enter(call, rate, true) !== true) throw new Error('bench/limits: a check found no room');
  rate.release();
  limiter.settle(call, answered);
};

const calls = Array.from({ length: 20_000 }, (_, i) => paramsOf(i));
const bounded = Array.from({ length: 20_000 }, (_, i) => paramsOf(i, { max_completion_tokens: 256 }));
const baseline = time(calls, nothing);
const rows: [string, number][] = [
  ['rpm + tpm + maxConcurrent, no output limit set (1,024 counted)', time(calls, limited) - baseline],
  ['rpm + tpm + maxConcurrent, max_completion_tokens 256', time(bounded, limited) - time(bounded, nothing)],
];
console.log(`limits: in-process store, ${rounds} rounds (node ${process.version}); a Call alone costs ${(baseline / 1000).toFixed(2)} µs`);
for (const [name, ns] of rows) console.log(`  ${(ns / 1000).toFixed(2).padStart(6)} µs  ${name}`);
const worst = Math.max(...rows.map(([, ns]) => ns));
console.log(`worst ${(worst / 1000).toFixed(2)} µs a call: ${worst < 5_000 ? 'within' : 'OVER'} the 5 µs goal`);
