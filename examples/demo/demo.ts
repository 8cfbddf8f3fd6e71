/**
 * npm run demo: tiered-llm doing its job on the embedded default, no API key. Four tiers served by
 * mock providers with realistic latencies, one region of the warm tier sick; a mixed workload of
 * repeated, 'auto', streamed and faulty requests; then a report, per deployment in tier order, of
 * what it cost, how fast, and where tries failed and breakers opened, next to what sending
 * everything to the priciest tier would have cost, and how good the answers were: thumbs from
 * simulated users and a shadow sample graded by the hot tier. Also writes demo-report.html. Last,
 * the cached input tokens of a multi-turn workload with conversation affinity and without. With
 * OPENAI_API_KEY set, `npm run demo -- --live` sends a small real sample.
 */
import { writeFileSync } from 'node:fs';
import { createTieredClient, defineCatalog, type TieredClient } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';
import { affinityLines } from './affinity.js';
import { costLines } from './costLines.js';
import { deploymentRows, markdownTable } from './deploymentRows.js';
import { htmlReport } from './htmlReport.js';
import { FeedbackStream, judgingReply, qualityLine, quiet, ShadowTally } from './quality.js';
import { questions } from './workload.js';

const live = process.argv.includes('--live');

async function providers() {
  if (live) {
    const apiKey = process.env.OPENAI_API_KEY;
    if (apiKey === undefined) throw new Error('--live needs OPENAI_API_KEY');
    return { urls: undefined, apiKey, settle: async () => {}, close: async () => {} };
  }
  // Realistic latencies; the eu region of the warm tier is sick: every call fails, after 900 ms.
  const healthy = await startMockOpenAI({
    models: {
      'gpt-4.1-nano': { latencyMs: 150, chunkDelayMs: 5 },
      'gpt-4o-mini': { latencyMs: 250, chunkDelayMs: 8 },
      'gpt-4.1': { latencyMs: 450, chunkDelayMs: 12 },
      // gpt-4o also judges the shadows: it grades the cheaper tiers' answers by a fixed table.
      'gpt-4o': judgingReply({ latencyMs: 600, chunkDelayMs: 15 }),
    },
  });
  const sick = await startMockOpenAI({ models: { 'gpt-4.1': { status: 503, latencyMs: 900 } } });
  return {
    urls: { us: healthy.url, eu: sick.url },
    apiKey: 'sk-demo-no-key-needed',
    settle: () => quiet(healthy),
    close: async () => void (await Promise.all([healthy.close(), sick.close()])),
  };
}

function catalogFor(urls: { us: string; eu: string } | undefined, apiKey: string) {
  return defineCatalog({
    providers: {
      us: { apiKey, ...(urls === undefined ? {} : { baseURL: urls.us }) },
      eu: { apiKey, ...(urls === undefined ? {} : { baseURL: urls.eu }) },
    },
    tiers: ['economy', 'cold', 'warm', 'hot'],
    models: [
      {
        id: 'gpt-4.1-nano',
        provider: 'us',
        tier: 'economy',
        inputCostPerMTok: 0.1,
        outputCostPerMTok: 0.4,
        contextWindow: 1_000_000,
        region: 'us',
      },
      {
        id: 'gpt-4o-mini',
        provider: 'us',
        tier: 'cold',
        inputCostPerMTok: 0.15,
        outputCostPerMTok: 0.6,
        contextWindow: 128_000,
        region: 'us',
      },
      { id: 'gpt-4.1', provider: 'eu', tier: 'warm', inputCostPerMTok: 2, outputCostPerMTok: 8, contextWindow: 1_000_000, region: 'eu' },
      { id: 'gpt-4.1', provider: 'us', tier: 'warm', inputCostPerMTok: 2, outputCostPerMTok: 8, contextWindow: 1_000_000, region: 'us' },
      { id: 'gpt-4o', provider: 'us', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000, region: 'us' },
    ],
  });
}

async function workload(client: TieredClient, total: number, feedback: FeedbackStream, progress: (done: number) => void): Promise<void> {
  let done = 0;
  const one = async (i: number): Promise<void> => {
    const question = questions[i % questions.length]!;
    const model = i % 3 === 0 ? 'auto' : question.tier;
    // About a third of the calls repeat an earlier question word for word: the cache's share.
    const text = i % 3 === 1 ? question.text : `${question.text} (case ${i})`;
    try {
      const result =
        i % 5 === 0
          ? await client.tieredChat({ model, messages: [{ role: 'user', content: text }], stream: true }).final()
          : await client.tieredChat({ model, messages: [{ role: 'user', content: text }] });
      feedback.answered(i, result);
    } catch {
      // Counted in the report.
    }
    progress(++done);
  };
  // Eight at a time, like a small service.
  for (let i = 0; i < total; i += 8) await Promise.all(Array.from({ length: Math.min(8, total - i) }, (_, k) => one(i + k)));
}

const bar = (done: number, total: number): string => {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
};

const { urls, apiKey, settle, close } = await providers();
const catalog = catalogFor(urls, apiKey);
const client = createTieredClient({
  catalog,
  cache: { ttlMs: 600_000 },
  retry: { retries: 1, minTimeoutMs: 50 },
  breaker: { volumeThreshold: 4, resetTimeoutMs: 5_000 },
  loadBalancing: 'least-latency',
  // A tenth of the answered calls asked again of gpt-4o in the background, which grades the answer
  // against its own with the eval's rubric: how far each cheaper tier is from the priciest one.
  shadow: { sampleRate: 0.1, model: 'hot' },
});
const feedback = new FeedbackStream(client);
const shadows = new ShadowTally(client, 'gpt-4o');
// Metrics count a call where it ended; the tries a fallback hid are counted here, per deployment.
const failedTries = new Map<string, number>();
client.on('attempt:error', ({ provider, model }) => {
  const key = `${provider}/${model}`;
  failedTries.set(key, (failedTries.get(key) ?? 0) + 1);
});

const total = live ? 12 : Number(process.env.DEMO_CALLS ?? 200);
// A terminal gets one bar redrawn in place; anything else (a pipe, a CI log) a line per quarter,
// since carriage returns there make one run-on line.
const tty = process.stdout.isTTY === true;
const quarter = (done: number) => Math.floor((done * 4) / total);
const started = performance.now();
await workload(client, total, feedback, (done) => {
  if (tty && (done % 10 === 0 || done === total)) process.stdout.write(`\r${bar(done, total)}`);
  if (!tty && quarter(done) > quarter(done - 1)) process.stdout.write(`${bar(done, total)}\n`);
});
const seconds = (performance.now() - started) / 1000;
process.stdout.write(tty ? '\n\n' : '\n');
// The shadows of the last calls are still running: the report waits for their scores.
await settle();

const m = client.metrics();
const rows = deploymentRows(catalog, m, failedTries);
for (const line of markdownTable(rows)) console.log(line);
const t = m.total;
const allHot = t.costUsd + t.savedVsBaselineUsd;
console.log(
  `\n${t.requests} calls in ${seconds.toFixed(1)} s, ${t.errors} failed; ` +
    `cost $${t.costUsd.toFixed(4)} against $${allHot.toFixed(4)} on ${m.baselineModel} alone: ` +
    `${allHot > 0 ? ((t.savedVsBaselineUsd / allHot) * 100).toFixed(0) : 0}% saved; cache hit rate ${(t.cacheHitRate * 100).toFixed(0)}%.`,
);
console.log(`${qualityLine(m, catalog.tiers)} ${feedback.sent} thumbs from the simulated users.`);
console.log(shadows.line(t.costUsd));
// Projected from the observed rate: what this pace of calls would cost in a month, tier by tier.
const costs = client.costReport();
for (const line of costLines(costs)) console.log(line);
writeFileSync('demo-report.html', htmlReport(m, rows, catalog.tiers, shadows, costs));
console.log('Wrote demo-report.html');
await client.close();
await close();
// Conversation affinity, on mock providers that keep a prompt cache (there is no such mock live).
if (!live) console.log(`\n${(await affinityLines()).join('\n')}`);
