/**
 * Memory against the raw openai client: the heap a client holds once it has made a call (a
 * one-deployment catalog; the mean of 100 clients), and how the heap grows over many calls after a
 * warm-up, once garbage is collected: what calls leave behind. Both in this process, in turn.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import OpenAI from 'openai';
import { createTieredClient } from 'tiered-llm';
import { benchCatalog, messages } from './catalog.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function withFirstCall<T>(client: T, call: (client: T) => Promise<unknown>): Promise<T> {
  await call(client);
  return client;
}

async function measure<T>(create: () => T, call: (client: T) => Promise<unknown>, calls: number, close: (client: T) => unknown) {
  // A client as it is once used: what it makes on its first call (breakers, histograms) counted.
  await close(await withFirstCall(create(), call)); // loads what is loaded once per process
  const before = heapAfterGc();
  const clients: T[] = [];
  for (let i = 0; i < 100; i++) clients.push(await withFirstCall(create(), call));
  const clientBytes = (heapAfterGc() - before) / clients.length;
  await Promise.all(clients.map(close));

  const client = create();
  const batch = async (n: number) => {
    for (let i = 0; i < n; i += 16) await Promise.all(Array.from({ length: 16 }, () => call(client)));
  };
  await batch(2_000); // loads what is loaded lazily, fills pools and histograms
  const warmed = heapAfterGc();
  await batch(calls);
  const growthBytes = heapAfterGc() - warmed;
  await close(client);
  return { clientBytes, growthBytes };
}

/** Heap per client and heap growth over `calls` calls, raw and tiered (cache off), in bytes. */
export async function benchMemory(url: string, calls = 20_000) {
  const raw = await measure(
    () => new OpenAI({ apiKey: 'sk-bench', baseURL: url, maxRetries: 0 }),
    (client) => client.chat.completions.create({ model: 'bench-model', messages }),
    calls,
    () => undefined,
  );
  const tiered = await measure(
    () => createTieredClient({ catalog: benchCatalog(url) }),
    (client) => client.chat.completions.create({ model: 'economy', messages }),
    calls,
    (client) => client.close(),
  );
  return { calls, raw, tiered };
}
