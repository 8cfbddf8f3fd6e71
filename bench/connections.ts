/**
 * Connection pools (the provider option `connections`) against Node's shared `fetch` pool: the same
 * non-streaming call through two tiered clients on the same mock provider (its own process,
 * loopback), one without `connections` and one with `{ keepAliveMs: 30000, max: 16 }`, one call at
 * a time and 16 at once, in alternating batches. Prints each side's calls per second and CPU per
 * call, and the pooled client's ratios to the other (medians of adjacent batches' ratios).
 *   npx tsup --silent && npx tsx --tsconfig bench/tsconfig.json bench/connections.ts [--calls 500] [--batch 100]
 */
import { parseArgs } from 'node:util';
import { createTieredClient, defineCatalog } from 'tiered-llm';
import { messages } from './catalog.js';
import { alternate, median, pairedRatio, startRemoteMock } from './stats.js';
import { callsPerSecond } from './throughput.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '500' }, batch: { type: 'string', default: '100' } } });
const calls = Number(values.calls);
const batch = Number(values.batch);
if (!Number.isInteger(calls) || !Number.isInteger(batch) || batch < 1 || calls < 2 * batch)
  throw new Error('bench/connections: --calls and --batch take whole numbers, calls at least twice the batch');

const mock = await startRemoteMock();
const clientOf = (connections?: { keepAliveMs: number; max: number }) =>
  createTieredClient({
    catalog: defineCatalog({
      providers: { local: { apiKey: 'sk-bench', baseURL: mock.url, ...(connections === undefined ? {} : { connections }) } },
      tiers: ['economy'],
      models: [
        { id: 'bench-model', provider: 'local', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 128_000 },
      ],
    }),
    cache: false,
  });
const shared = clientOf();
const pooled = clientOf({ keepAliveMs: 30_000, max: 16 });
const callThrough = (client: typeof shared) => () => client.chat.completions.create({ model: 'economy', messages });

const rows: string[] = [];
for (const concurrency of [1, 16]) {
  // One warm-up batch each: connections opened, code compiled.
  await callsPerSecond(batch, concurrency, callThrough(shared));
  await callsPerSecond(batch, concurrency, callThrough(pooled));
  const runs = await alternate(Math.round(calls / batch), {
    shared: () => callsPerSecond(batch, concurrency, callThrough(shared)),
    pooled: () => callsPerSecond(batch, concurrency, callThrough(pooled)),
  });
  const rate = (side: 'shared' | 'pooled') => median(runs[side].map((run) => run.rate));
  const cpu = (side: 'shared' | 'pooled') => median(runs[side].map((run) => run.cpuUs));
  const rateRatio = pairedRatio(
    runs.shared.map((run) => run.rate),
    runs.pooled.map((run) => run.rate),
  );
  const cpuRatio = pairedRatio(
    runs.shared.map((run) => run.cpuUs),
    runs.pooled.map((run) => run.cpuUs),
  );
  rows.push(
    `| ${concurrency === 1 ? 'sequential' : `${concurrency} at once`} | ${rate('shared').toFixed(0)} | ${rate('pooled').toFixed(0)} | ${rateRatio.toFixed(2)}x | ${cpu('shared').toFixed(0)} | ${cpu('pooled').toFixed(0)} | ${cpuRatio.toFixed(2)}x |`,
  );
}
await Promise.all([shared.close(), pooled.close()]);
await mock.stop();

console.log(`${calls} calls a side in batches of ${batch}, alternating (Node ${process.version})\n`);
console.log('| loop | calls/s without | calls/s with connections | rate ratio | CPU µs/call without | with | CPU ratio |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
