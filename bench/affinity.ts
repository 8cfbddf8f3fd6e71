/**
 * What conversation affinity adds to a chat call: the conversation's key (a hash of its opening),
 * the lookup in a full table of 10,000 conversations, and putting the pinned deployment first
 * among a tier's two deployments. Goal: under 5 µs a call. Measured on the module itself (it has no
 * public entry point; the rest of the call is what `npm run bench` measures), per scenario: the
 * median over rounds of the mean time per call.
 *   npx tsx --tsconfig bench/tsconfig.json bench/affinity.ts [-- --rounds 15]
 */
import OpenAI from 'openai';
import { parseArgs } from 'node:util';
import type { TieredChatParams, TieredRequestOptions } from '../src/call/requests.js';
import { defineCatalog } from '../src/catalog/defineCatalog.js';
import { LiveDeployment } from '../src/resilience/LiveDeployment.js';
import { Affinity, rememberedConversations } from '../src/routing/Affinity.js';
import { median } from './stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('bench/affinity: --rounds takes a positive integer');

const model = { tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 128_000 } as const;
const catalog = defineCatalog({
  providers: {
    a: { apiKey: 'sk-bench-a', baseURL: 'http://127.0.0.1:9/v1' },
    b: { apiKey: 'sk-bench-b', baseURL: 'http://127.0.0.1:9/v1' },
  },
  tiers: ['economy'],
  models: [
    { id: 'm', provider: 'a', ...model },
    { id: 'm', provider: 'b', ...model },
  ],
});
const client = new OpenAI({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:9/v1' });
const breaker = { errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeoutMs: 30_000, rollingWindowMs: 10_000 };
const [a, b] = catalog.deployments.map((d) => new LiveDeployment(d, client, breaker, () => {})) as [LiveDeployment, LiveDeployment];
const tier = [a, b] as const;

const conversations = 10_000;
const system = `You are the support agent of ACME Corp. ${'Follow the policies below. '.repeat(55)}`; // ~1,500 characters
/** Turn `turn` of conversation `i`: the whole history resent, as chat applications do. */
function turnOf(i: number, turns: number, systemText = system): TieredChatParams {
  const messages: TieredChatParams['messages'] = [
    { role: 'system', content: systemText },
    { role: 'user', content: `Customer ${i}: my order has not arrived, what can I do? It was due last week.` },
  ];
  for (let t = 1; t < turns; t++)
    messages.push({ role: 'assistant', content: `Answer ${t}.` }, { role: 'user', content: `Follow-up ${t}.` });
  return { model: 'economy', messages };
}

const none: TieredRequestOptions = {};
const affinity = new Affinity('conversation');
// Full, as in production: every conversation pinned, half to each deployment.
for (let i = 0; i < conversations; i++) affinity.remember(affinity.keyOf(turnOf(i, 1), none), tier[i % 2]!, undefined);

/** Nanoseconds per call of `step` over `calls`, median of the rounds. */
function time(
  calls: readonly TieredChatParams[],
  step: (params: TieredChatParams, options: TieredRequestOptions) => unknown,
  options = none,
): number {
  const perCall: number[] = [];
  for (let round = 0; round < rounds + 2; round++) {
    const started = process.hrtime.bigint();
    for (const params of calls) step(params, options);
    // The first two rounds warm up.
    if (round >= 2) perCall.push(Number(process.hrtime.bigint() - started) / calls.length);
  }
  return median(perCall);
}

const keyOnly = (params: TieredChatParams, options: TieredRequestOptions) => affinity.keyOf(params, options);
const routed = (params: TieredChatParams, options: TieredRequestOptions) => {
  const key = affinity.keyOf(params, options);
  return key === undefined ? tier : affinity.first(key, tier, 2);
};

const turn1 = Array.from({ length: conversations }, (_, i) => turnOf(i, 1));
const turn20 = Array.from({ length: 2_000 }, (_, i) => turnOf(i, 20));
const longSystem = Array.from({ length: 2_000 }, (_, i) => turnOf(i, 3, `${system}${'Long policy text. '.repeat(1_200)}`));
// Keys of conversations never seen (the table full of others): a miss, nothing reordered.
const unseen = Array.from({ length: conversations }, (_, i) => turnOf(conversations + i, 1));

const rows: [string, number][] = [
  ['key only: hash of a 1.5 KB system + first user message', time(turn1, keyOnly)],
  ['key + lookup + reorder, turn 1 (half pinned second: reordered)', time(turn1, routed)],
  ['key + lookup + reorder, turn 20 (40 messages, opening only hashed)', time(turn20, routed)],
  ['key + lookup + reorder, 22 KB system prompt (hashed by its ends)', time(longSystem, routed)],
  ['key + lookup, a conversation not in the full table', time(unseen, routed)],
  ['metadata.sessionId + lookup + reorder', time(turn1, routed, { metadata: { sessionId: 'session-1234' } })],
];
console.log(`affinity: ${rememberedConversations} conversations remembered, ${rounds} rounds (node ${process.version})`);
for (const [name, ns] of rows) console.log(`  ${(ns / 1000).toFixed(2).padStart(6)} µs  ${name}`);
const worst = Math.max(...rows.map(([, ns]) => ns));
console.log(`worst ${(worst / 1000).toFixed(2)} µs a call: ${worst < 5_000 ? 'within' : 'OVER'} the 5 µs goal`);
