/**
 * npm run soak: many calls at high concurrency over three deployments, two of them faulty (500s,
 * 429s with retry-after, resets, hangs, streams cut before their first token) and one healthy,
 * each provider in a process of its own, with rate limits on every deployment and health checks on
 * every provider. It checks that every call settles and succeeds through fallback, that no limit is
 * exceeded in any second (as each provider counted its requests), that the probes saw the outages,
 * that nothing is rejected unhandled, that resident memory stays flat, and that after close() the
 * process exits by itself. Every answered call gets feedback, and 5 % are shadowed on
 * the warm tier: the shadows never fail a caller, and the request ids remembered for feedback stay
 * capped. Prints the figures beside their goals; exits 1 if one is missed.
 *   npm run soak [-- --calls 50000 --concurrency 256]
 */
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createTieredClient, defineCatalog, TieredError, type ShadowDropReason, type TieredMetrics } from 'tiered-llm';
import type { ProviderStats } from './soakProvider.js';
import { FeedbackLedger } from './soakQuality.js';
import { startRemoteMock } from './stats.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '50000' }, concurrency: { type: 'string', default: '256' } } });
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
// The warm-up fills the feedback memory (10,000 answered calls) first: a soak measures after it.
if (!Number.isInteger(calls) || calls < 12_000 || !Number.isInteger(concurrency) || concurrency < 1)
  throw new Error(
    'soak: --calls takes an integer of at least 12000 (the first 11,000 or a tenth warm up), --concurrency a positive integer',
  );

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 2 ** 20;
const rssGoalMiB = 64;
// What the client documents it remembers for feedback (client.feedback()); the soak checks it holds.
const rememberedGoal = 10_000;

// What this process holds open before the soak (its own stdio among them): after close(), nothing more may be.
void process.stdout.writable;
void process.stderr.writable;
const openBefore = process.getActiveResourcesInfo();

let unhandled = 0;
process.on('unhandledRejection', (reason) => {
  unhandled++;
  console.error('unhandled rejection:', reason);
});

const [east, west, central] = await Promise.all([
  startRemoteMock('./soakProvider.ts', ['faulty']),
  startRemoteMock('./soakProvider.ts', ['faulty']),
  startRemoteMock('./soakProvider.ts', ['healthy']),
]);
// Limits that bind: fewer slots than the 256 calls in flight (the rest wait for room, rateLimit.waitMs,
// or go up a tier), and an rpm on east that a few seconds of the soak use up.
const limits = {
  east: { rpm: 400, maxConcurrent: 48 },
  west: { maxConcurrent: 48 },
  central: { maxConcurrent: 64 },
} as const;
// Probes every second: the faulty providers' outages (their GET /v1/models fails too) open breakers
// before traffic meets them; probes that hang are cut at 500 ms.
const healthCheck = { intervalMs: 1_000, timeoutMs: 500 };
const catalog = defineCatalog({
  providers: {
    east: { apiKey: 'sk-soak-east', baseURL: east.url, healthCheck },
    west: { apiKey: 'sk-soak-west', baseURL: west.url, healthCheck },
    central: { apiKey: 'sk-soak-central', baseURL: central.url, healthCheck },
  },
  tiers: ['economy', 'warm'],
  models: [
    {
      id: 'soak-mini',
      provider: 'east',
      tier: 'economy',
      inputCostPerMTok: 0.1,
      outputCostPerMTok: 0.4,
      contextWindow: 128_000,
      limits: limits.east,
    },
    {
      id: 'soak-mini',
      provider: 'west',
      tier: 'economy',
      inputCostPerMTok: 0.1,
      outputCostPerMTok: 0.4,
      contextWindow: 128_000,
      limits: limits.west,
    },
    {
      id: 'soak-std',
      provider: 'central',
      tier: 'warm',
      inputCostPerMTok: 2,
      outputCostPerMTok: 8,
      contextWindow: 128_000,
      limits: limits.central,
    },
  ],
});
const client = createTieredClient({
  catalog,
  loadBalancing: 'weighted',
  retry: { retries: 1, minTimeoutMs: 20, maxTimeoutMs: 200, maxRetryAfterMs: 1_000 },
  // Short enough that the faulty deployments open and half-open many times during the run.
  breaker: { resetTimeoutMs: 1_000, rollingWindowMs: 5_000 },
  // A hang costs one attempt a second; the healthy deployment answers in a few milliseconds.
  timeouts: { requestMs: 1_000, firstTokenMs: 1_000, idleMs: 1_000, deadlineMs: 30_000 },
  // One answered call in twenty asked again of the healthy warm tier, scored by a function (no judge
  // traffic): the answers are the same text, so a score of 1 unless a stream was cut short.
  shadow: { sampleRate: 0.05, model: 'warm', maxConcurrent: 8, judge: (answer, reference) => (answer === reference ? 1 : 0.5) },
  rateLimit: { waitMs: 5_000 },
});
const ledger = new FeedbackLedger(client, rememberedGoal + 2_000);
let shadowsScored = 0;
const shadowsDropped = new Map<ShadowDropReason, number>();
client.on('shadow:result', () => void shadowsScored++);
client.on('shadow:dropped', ({ reason }) => void shadowsDropped.set(reason, (shadowsDropped.get(reason) ?? 0) + 1));

let probesUp = 0;
let probesDown = 0;
client.on('health:probe', ({ ok }) => void (ok ? probesUp++ : probesDown++));
let rateLimitedSkips = 0;
client.on('fallback', ({ reason }) => void (reason === 'rate_limited' && rateLimitedSkips++));

// What the faulty deployments threw at the client, try by try.
const faultsSeen = new Map<string, number>();
client.on('attempt:error', ({ provider, error }) => {
  const key = `${provider} ${error.code}${error.status === undefined ? '' : ` ${error.status}`}`;
  faultsSeen.set(key, (faultsSeen.get(key) ?? 0) + 1);
});

const failures = new Map<string, number>();
let settled = 0;
let succeeded = 0;
let next = 0;
let peakRss = 0;

async function one(i: number): Promise<void> {
  const messages = [{ role: 'user' as const, content: `Soak question ${i % 512}` }];
  try {
    // withResponse(): our request id is in its header, for the feedback given once the answer is read.
    let response: Response;
    if (i % 3 === 0) {
      let text = '';
      const streamed = await client.chat.completions.create({ model: 'economy', messages, stream: true }).withResponse();
      for await (const chunk of streamed.data) text += chunk.choices[0]?.delta.content ?? '';
      if (text.length === 0) throw new Error('a stream ended with no text');
      response = streamed.response;
    } else {
      const answered = await client.chat.completions.create({ model: 'economy', messages }).withResponse();
      if (!answered.data.choices[0]?.message.content) throw new Error('an answer with no text');
      response = answered.response;
    }
    succeeded++;
    ledger.answered(i, response.headers.get('x-tiered-llm-request-id'));
  } catch (error) {
    const code = TieredError.isInstance(error) ? error.code : error instanceof Error ? error.name : String(error);
    failures.set(code, (failures.get(code) ?? 0) + 1);
  } finally {
    settled++;
  }
}

async function worker(until: number): Promise<void> {
  while (next < until) {
    await one(next++);
    if (next % 1_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
}

const run = async (until: number): Promise<void> => void (await Promise.all(Array.from({ length: concurrency }, () => worker(until))));

const stalledAfterMs = 60_000;
let lastSettled = -1;
let lastProgressAt = performance.now();
// A progress line on a terminal, and a watchdog for calls that never settle: a lost call would
// otherwise hang the soak instead of failing it. Unref'd, so that neither keeps the process alive.
const progress = setInterval(() => {
  if (process.stderr.isTTY) process.stderr.write(`\r${settled}/${calls} settled`);
  if (settled !== lastSettled) [lastSettled, lastProgressAt] = [settled, performance.now()];
  else if (performance.now() - lastProgressAt > stalledAfterMs) {
    console.error(`\nsoak: no call settled for ${stalledAfterMs / 1000} s; ${next - settled} calls in flight never settled`);
    process.exit(1);
  }
}, 500);
progress.unref();

// Warm up (JIT, connection pools, the heap growing to its working size at this concurrency, first
// breaker trips, and every bounded structure filled: the memory of answered requests for feedback
// holds 10,000) before the baseline is taken: a tenth of the calls, at least 11,000. Measured from a
// memory still filling, V8 grows its heap in steps and the resident figure swings by tens of MiB
// from run to run (10 to 96 MiB seen) with the heap in use flat.
const warmUp = Math.max(rememberedGoal + 1_000, Math.round(calls / 10));

/**
 * Lets memory come to rest before it is read, the same way before and after: full collections a
 * little apart, so that V8 hands back the pages a burst of 256 calls at once made it take (its heap
 * grew to 5 to 8 times what was in use, and one collection right after the burst left the resident
 * figure up to 120 MiB high in one run of four, with the heap in use flat). What is still held
 * after that is what a leak would hold.
 */
async function atRest(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  gc();
}
let rssBefore: number, heapBefore: number, rssAfter: number, heapAfter: number, seconds: number;
let metrics: TieredMetrics;
let memory: ReturnType<FeedbackLedger['remembered']>;
let seen: Record<keyof typeof limits, ProviderStats>;
try {
  await run(warmUp);
  await atRest();
  ({ rss: rssBefore, heapUsed: heapBefore } = process.memoryUsage());
  const t0 = performance.now();
  await run(calls);
  seconds = (performance.now() - t0) / 1000;
  await atRest();
  ({ rss: rssAfter, heapUsed: heapAfter } = process.memoryUsage());
  metrics = client.metrics();
  memory = ledger.remembered();
  const [e, w, c] = await Promise.all([east, west, central].map((mock) => mock.ask<ProviderStats>('stats')));
  seen = { east: e!, west: w!, central: c! };
} finally {
  clearInterval(progress);
  await client.close();
  await Promise.all([east.stop(), west.stop(), central.stop()]);
}
// What still holds the event loop open, leaving aside the terminal itself.
const leftOpen = process.getActiveResourcesInfo();
for (const name of openBefore) {
  const at = leftOpen.indexOf(name);
  if (at >= 0) leftOpen.splice(at, 1);
}

const growthMiB = (rssAfter - rssBefore) / MiB;
const rows: [string, string, string, boolean][] = [
  [
    'calls',
    `${calls} at ${concurrency} concurrent (${warmUp} to warm up, ${calls - warmUp} measured), ${((calls - warmUp) / seconds).toFixed(0)} per second`,
    '',
    true,
  ],
  ['settled', `${settled}`, `${calls}`, settled === calls],
  ['succeeded', `${succeeded}`, `${calls}`, succeeded === calls],
  ['unhandled rejections', `${unhandled}`, '0', unhandled === 0],
  [
    'resident memory growth after warm-up',
    `${growthMiB.toFixed(1)} MiB (${(rssBefore / MiB).toFixed(0)} -> ${(rssAfter / MiB).toFixed(0)}, peak ${(Math.max(peakRss, rssAfter) / MiB).toFixed(0)})`,
    `< ${rssGoalMiB} MiB`,
    growthMiB < rssGoalMiB,
  ],
  [
    'heap growth after warm-up',
    `${((heapAfter - heapBefore) / MiB).toFixed(1)} MiB (${(heapBefore / MiB).toFixed(0)} -> ${(heapAfter / MiB).toFixed(0)})`,
    '',
    true,
  ],
  [
    'feedback given / accepted',
    `${ledger.given} / ${ledger.accepted}`,
    `${succeeded} / ${succeeded}`,
    ledger.given === succeeded && ledger.accepted === succeeded,
  ],
  [
    'feedback counted in metrics()',
    `${metrics.total.quality.feedbackCount} (mean score ${metrics.total.quality.meanScore?.toFixed(3) ?? '-'})`,
    `${ledger.accepted}`,
    metrics.total.quality.feedbackCount === ledger.accepted,
  ],
  [
    'request ids remembered',
    `${memory.remembered} of the last ${memory.window} answered; the first ${memory.firstForgotten ? 'forgotten' : 'still remembered'}`,
    `<= ${rememberedGoal}${succeeded > rememberedGoal + concurrency ? ', the first forgotten' : ''}`,
    memory.remembered > 0 && memory.remembered <= rememberedGoal && (memory.firstForgotten || succeeded <= rememberedGoal + concurrency),
  ],
  [
    'shadows scored / dropped',
    `${shadowsScored} / ${[...shadowsDropped.values()].reduce((a, b) => a + b, 0)} (${
      [...shadowsDropped]
        .sort()
        .map(([reason, n]) => `${reason} x${n}`)
        .join(', ') || 'none'
    }); shadow score ${metrics.total.quality.shadowScore?.toFixed(3) ?? '-'}`,
    '> 0 scored',
    shadowsScored > 0,
  ],
  ...(['east', 'west', 'central'] as const).map((name): [string, string, string, boolean] => {
    const { rpm, maxConcurrent } = { rpm: undefined, ...limits[name] };
    const { requests, mostIn59s, peakInFlight } = seen[name];
    // The client counts a request in the second it sends it; the provider, in the second it arrives,
    // up to a second later (a backoff, a slow turn of the event loop). Any 59 seconds of arrivals were
    // thus sent within 60 seconds of the client's: they may not pass its rpm.
    const withinRpm = rpm === undefined || mostIn59s <= rpm;
    return [
      `${name}: requests in any 59 s / most in flight`,
      `${mostIn59s} / ${peakInFlight} (${requests} requests)`,
      `${rpm === undefined ? '' : `<= ${rpm} / `}<= ${maxConcurrent}`,
      withinRpm && peakInFlight <= maxConcurrent,
    ];
  }),
  ['skipped at a limit (fallback rate_limited)', `${rateLimitedSkips}`, '> 0', rateLimitedSkips > 0],
  ['health probes up / down', `${probesUp} / ${probesDown}`, '> 0 / > 0', probesUp > 0 && probesDown > 0],
  ['left open after close()', leftOpen.length === 0 ? 'nothing' : leftOpen.join(', '), 'nothing', leftOpen.length === 0],
  [
    'fallbacks / retries / breaker opens',
    `${metrics.total.fallbacks} / ${metrics.total.retries} / ${metrics.total.breakerOpens}`,
    '',
    true,
  ],
];
if (process.stderr.isTTY) process.stderr.write('\n');
const failed = rows.filter(([, , , ok]) => !ok);
console.log(
  [
    '| soak | measured | goal | |',
    '| --- | --- | --- | --- |',
    ...rows.map(([name, value, goal, ok]) => `| ${name} | ${value} | ${goal} | ${goal === '' ? '' : ok ? 'ok' : 'MISSED'} |`),
  ].join('\n'),
);
for (const [deployment, entry] of Object.entries(metrics.byDeployment))
  console.log(`${deployment}: answered ${entry.requests} calls; its breaker opened ${entry.breakerOpens} times`);
console.log(
  `failed tries: ${[...faultsSeen]
    .sort()
    .map(([key, n]) => `${key} x${n}`)
    .join(', ')}`,
);
if (failures.size > 0) console.log('failures by code:', Object.fromEntries(failures));
if (failed.length > 0) process.exitCode = 1;

// Nothing should keep the process alive now: an unref'd watchdog fires only if something does.
setTimeout(() => {
  console.error(`soak: the process did not exit by itself 5 s after close(); still open: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(1);
}, 5_000).unref();
