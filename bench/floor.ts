/**
 * npm run bench:floor: what any resilient wrapper of the openai client pays, next to tiered-llm.
 * Three clients on the same mock provider (its own process, loopback), one call at a time, in
 * alternating batches: the raw client; the least a wrapper the project's policy allows can be (every
 * call inside p-retry, through an opossum breaker, under a timer, with `withResponse()`); and
 * tiered-llm. The wrapper's ratio is the floor under tiered-llm's 1.03x goal on this machine.
 *   npm run bench:floor [-- --rounds 200]
 */
import OpenAI from 'openai';
import CircuitBreaker from 'opossum';
import pRetry from 'p-retry';
import { parseArgs } from 'node:util';
import { createTieredClient } from 'tiered-llm';
import { benchCatalog, messages } from './catalog.js';
import { median, startRemoteMock } from './stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('bench:floor: --rounds takes a positive integer');

const mock = await startRemoteMock();
const raw = new OpenAI({ apiKey: 'sk-bench', baseURL: mock.url, maxRetries: 0 });
const tiered = createTieredClient({ catalog: benchCatalog(mock.url) });
const breaker = new CircuitBreaker((send: () => Promise<unknown>) => send(), {
  timeout: false,
  rollingPercentilesEnabled: false,
  enableSnapshots: false,
});
// Every p-retry option given: p-retry fills in missing ones on a copy, which costs more than the rest.
const retry = {
  retries: 2,
  factor: 1,
  minTimeout: 0,
  maxTimeout: 0,
  maxRetryTime: Number.POSITIVE_INFINITY,
  randomize: false,
  onFailedAttempt: () => {},
  shouldRetry: () => true,
  shouldConsumeRetry: () => true,
};
const noop = (): void => {};
const wrapped = () =>
  pRetry(
    () =>
      breaker.fire(async () => {
        const timer = setTimeout(noop, 60_000);
        timer.unref();
        try {
          return await raw.chat.completions.create({ model: 'bench-model', messages }).withResponse();
        } finally {
          clearTimeout(timer);
        }
      }),
    retry,
  );
const clients: Record<string, () => Promise<unknown>> = {
  'raw openai': () => raw.chat.completions.create({ model: 'bench-model', messages }),
  'p-retry + opossum + timer': wrapped,
  'tiered-llm': () => tiered.chat.completions.create({ model: 'economy', messages }),
};
const latency: Record<string, number[]> = Object.fromEntries(Object.keys(clients).map((name) => [name, []]));
try {
  for (let i = 0; i < 1_000; i++) {
    for (const call of Object.values(clients)) await call();
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, call] of Object.entries(clients)) {
      for (let i = 0; i < 16; i++) {
        const started = performance.now();
        await call();
        latency[name]!.push(performance.now() - started);
      }
    }
  }
  const base = median(latency['raw openai']!);
  console.log('| client | median latency | ratio |\n| --- | ---: | ---: |');
  for (const [name, samples] of Object.entries(latency))
    console.log(`| ${name} | ${median(samples).toFixed(3)} ms | ${(median(samples) / base).toFixed(3)}x |`);
} finally {
  breaker.shutdown();
  await tiered.close();
  await mock.stop();
}
