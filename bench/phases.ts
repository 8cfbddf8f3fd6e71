/**
 * Where the time of one call goes, raw openai against tiered-llm on the same mock (its own process,
 * loopback), calls one at a time and interleaved: before the request reaches fetch, waiting for the
 * response headers, and after them until the call resolves. Medians in µs. A diagnostic for work on
 * the overhead: `npm run build && npx tsx --tsconfig bench/tsconfig.json bench/phases.ts`
 */
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { median, startRemoteMock } from './stats.js';

// Both clients take the global fetch when they are made: wrap it first, then load them.
const realFetch = globalThis.fetch;
let fetchedAt = 0;
let headersAt = 0;
globalThis.fetch = async (...args: Parameters<typeof fetch>): Promise<Response> => {
  fetchedAt = performance.now();
  const response = await realFetch(...args);
  headersAt = performance.now();
  return response;
};
const { default: OpenAI } = await import('openai');
const { createTieredClient } = await import('tiered-llm');
const { benchCatalog, messages } = await import('./catalog.js');

const mock = await startRemoteMock();
try {
  const raw = new OpenAI({ apiKey: 'sk-bench', baseURL: mock.url, maxRetries: 0 });
  const tiered = createTieredClient({ catalog: benchCatalog(mock.url) });
  const contenders: Record<'raw openai' | 'tiered-llm', () => Promise<ChatCompletion>> = {
    'raw openai': () => raw.chat.completions.create({ model: 'bench-model', messages }),
    'tiered-llm': () => tiered.chat.completions.create({ model: 'economy', messages }),
  };
  const phases = { before: [] as number[], waiting: [] as number[], after: [] as number[] };
  const samples = { 'raw openai': structuredClone(phases), 'tiered-llm': structuredClone(phases) };
  for (let i = 0; i < 4_500; i++) {
    for (const name of i % 2 === 0 ? (['raw openai', 'tiered-llm'] as const) : (['tiered-llm', 'raw openai'] as const)) {
      const startedAt = performance.now();
      await contenders[name]();
      const resolvedAt = performance.now();
      if (i < 500) continue; // warm-up
      samples[name].before.push((fetchedAt - startedAt) * 1000);
      samples[name].waiting.push((headersAt - fetchedAt) * 1000);
      samples[name].after.push((resolvedAt - headersAt) * 1000);
    }
  }
  console.log('| client | before fetch | waiting for headers | after headers |\n| --- | ---: | ---: | ---: |');
  for (const [name, s] of Object.entries(samples))
    console.log(`| ${name} | ${median(s.before).toFixed(1)} µs | ${median(s.waiting).toFixed(1)} µs | ${median(s.after).toFixed(1)} µs |`);
  await tiered.close();
} finally {
  await mock.stop();
}
