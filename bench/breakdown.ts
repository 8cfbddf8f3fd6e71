/**
 * Where tiered-llm's CPU per call goes: the raw openai client alone, then with what any resilient
 * wrapper adds (a timer, an AbortSignal, an opossum breaker), then tiered-llm; CPU time of this
 * process per call at 64 concurrent calls, the median of 24 alternating rounds, same mock.
 *   npm run build && npx tsx --tsconfig bench/tsconfig.json bench/breakdown.ts
 */
import OpenAI from 'openai';
import CircuitBreaker from 'opossum';
import { createTieredClient } from 'tiered-llm';
import { benchCatalog, messages } from './catalog.js';
import { median, startRemoteMock } from './stats.js';
import { callsPerSecond } from './throughput.js';

const mock = await startRemoteMock();
try {
  const raw = new OpenAI({ apiKey: 'sk-bench', baseURL: mock.url, maxRetries: 0 });
  const tiered = createTieredClient({ catalog: benchCatalog(mock.url) });
  const breaker = new CircuitBreaker((send: () => Promise<unknown>) => send(), {
    timeout: false,
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
  const noop = (): void => {};
  const withSignal = async (): Promise<unknown> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      return await raw.chat.completions.create({ model: 'bench-model', messages }, { signal: controller.signal });
    } finally {
      clearTimeout(timer);
    }
  };
  const contenders: Record<string, () => Promise<unknown>> = {
    'raw openai': () => raw.chat.completions.create({ model: 'bench-model', messages }),
    '+ a timer per call': async () => {
      const timer = setTimeout(noop, 60_000);
      try {
        return await raw.chat.completions.create({ model: 'bench-model', messages });
      } finally {
        clearTimeout(timer);
      }
    },
    '+ an AbortSignal': withSignal,
    '+ an opossum breaker': () => breaker.fire(withSignal),
    'tiered-llm': () => tiered.chat.completions.create({ model: 'economy', messages }),
  };
  const names = Object.keys(contenders);
  for (const name of names) await callsPerSecond(2_000, 64, contenders[name]!);
  const cpu: Record<string, number[]> = {};
  for (let round = 0; round < 24; round++)
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length]!;
      (cpu[name] ??= []).push((await callsPerSecond(2_000, 64, contenders[name]!)).cpuUs);
    }
  const base = median(cpu['raw openai']!);
  console.log('| client | CPU per call | over raw |\n| --- | ---: | ---: |');
  for (const name of names) {
    const us = median(cpu[name]!);
    console.log(`| ${name} | ${us.toFixed(1)} µs | ${(us - base).toFixed(1)} µs |`);
  }
  breaker.shutdown();
  await tiered.close();
} finally {
  await mock.stop();
}
