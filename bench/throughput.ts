/**
 * Throughput at 64 concurrent calls against the raw openai client: the same number of calls
 * through each, in alternating rounds on the same mock (its own process), calls per second.
 */
import OpenAI from 'openai';
import { createTieredClient } from 'tiered-llm';
import { benchCatalog, messages } from './catalog.js';
import { median } from './stats.js';

/** Calls per second of `call` made `total` times by `concurrency` workers, and this process's CPU time per call in µs. */
export async function callsPerSecond(
  total: number,
  concurrency: number,
  call: () => Promise<unknown>,
): Promise<{ rate: number; cpuUs: number }> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++;
      await call();
    }
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { rate: total / ((performance.now() - t0) / 1000), cpuUs: (cpu.user + cpu.system) / total };
}

/** Median calls per second (and CPU µs per call) over `rounds` alternating rounds of `perRound` calls, raw and tiered (cache off). */
export async function benchThroughput(url: string, perRound: number, rounds = 8, concurrency = 64) {
  const raw = new OpenAI({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0 });
  const tiered = createTieredClient({ catalog: benchCatalog(url) });
  const contenders = {
    raw: () => callsPerSecond(perRound, concurrency, () => raw.chat.completions.create({ model: 'bench-model', messages })),
    tiered: () => callsPerSecond(perRound, concurrency, () => tiered.chat.completions.create({ model: 'economy', messages })),
  };
  await contenders.raw();
  await contenders.tiered();
  const rates = { raw: [] as number[], tiered: [] as number[] };
  const cpu = { raw: [] as number[], tiered: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const which of round % 2 === 0 ? (['raw', 'tiered'] as const) : (['tiered', 'raw'] as const)) {
      const { rate, cpuUs } = await contenders[which]();
      rates[which].push(rate);
      cpu[which].push(cpuUs);
    }
  }
  await tiered.close();
  return {
    concurrency,
    raw: median(rates.raw),
    tiered: median(rates.tiered),
    cpuUs: { raw: median(cpu.raw), tiered: median(cpu.tiered) },
  };
}
