/**
 * Memory against the raw openai client: the heap a new client holds (a one-deployment catalog), and
 * the heap still held after 10,000 calls once garbage is collected, i.e. what calls leave behind.
 * Both in this process, one after the other, each measured from a collected heap.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import OpenAI from 'openai';
import { createTieredClient } from 'tiered-llm';
import { benchCatalog, messages } from './catalog.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function measure<T>(create: () => T, call: (client: T) => Promise<unknown>, calls: number) {
  const before = heapAfterGc();
  const client = create();
  const created = heapAfterGc();
  await call(client); // the first call loads what is loaded lazily (e.g. the breaker)
  const warmed = heapAfterGc();
  for (let i = 0; i < calls; i += 16) await Promise.all(Array.from({ length: 16 }, () => call(client)));
  const after = heapAfterGc();
  return { client, clientBytes: created - before, retainedBytes: after - warmed };
}

/** Heap of a new client and heap retained by `calls` calls, raw and tiered (cache off), in bytes. */
export async function benchMemory(url: string, calls = 10_000) {
  const raw = await measure(
    () => new OpenAI({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0 }),
    (client) => client.chat.completions.create({ model: 'bench-model', messages }),
    calls,
  );
  const tiered = await measure(
    () => createTieredClient({ catalog: benchCatalog(url) }),
    (client) => client.chat.completions.create({ model: 'economy', messages }),
    calls,
  );
  await tiered.client.close();
  return {
    calls,
    raw: { clientBytes: raw.clientBytes, retainedBytes: raw.retainedBytes },
    tiered: { clientBytes: tiered.clientBytes, retainedBytes: tiered.retainedBytes },
  };
}
