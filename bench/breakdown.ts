/**
 * npm run bench:breakdown: where tiered-llm's microseconds go, per non-streaming call and per
 * stream. V8's sampling profiler runs on this process while each client makes its calls (same mock,
 * its own process; alternating batches at 64 concurrent); self time is summed by source file (the
 * built package mapped back to src/ through its sourcemaps, dependencies by package, Node's
 * internals by module) and shown per call beside the raw openai client's, by area then by file.
 * The sampler counts wall time, so each batch's samples are scaled to the process's CPU time over
 * it; the profiler slows both clients alike: compare the columns, not the figures with npm run bench's.
 *   npm run bench:breakdown [-- --calls 4096 --concurrency 64 --interval 100 --top 25]
 */
import { parseArgs } from 'node:util';
import { benchClients, drain, type Pair } from './catalog.js';
import { addSelfTime, startProfiler, type SelfTime } from './profile.js';
import { table } from './report.js';
import { alternate, startRemoteMock } from './stats.js';
import { callsPerSecond } from './throughput.js';
import { warmUp } from './warmUp.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '4096' },
    concurrency: { type: 'string', default: '64' },
    interval: { type: 'string', default: '100' },
    top: { type: 'string', default: '25' },
  },
});
const [calls, concurrency, intervalUs, top] = [values.calls, values.concurrency, values.interval, values.top].map(Number) as [
  number,
  number,
  number,
  number,
];
for (const [name, n] of Object.entries({ calls, concurrency, interval: intervalUs, top }))
  if (!Number.isInteger(n) || n < 1) throw new Error(`breakdown: --${name} takes a positive integer`);
const batch = Math.min(calls, 256);

interface Tally extends SelfTime {
  cpuUs: number;
  calls: number;
}

/**
 * One batch of `call` under the profiler, added to `tally`, scaled to the process's CPU time over
 * the batch: the sampler counts wall time, in which the OS also ran other processes.
 */
async function profiledBatch(call: () => Promise<unknown>, tally: Tally): Promise<void> {
  const stop = await startProfiler(intervalUs);
  const { cpuUs } = await callsPerSecond(batch, concurrency, call);
  const profile = await stop();
  const sampled: SelfTime = { byFile: new Map(), byArea: new Map(), busyUs: 0 };
  addSelfTime(profile, sampled);
  addSelfTime(profile, tally, (cpuUs * batch) / sampled.busyUs);
  tally.cpuUs += cpuUs * batch;
  tally.calls += batch;
}

/** Rows of `raw` and `tiered` per call, largest difference first; the first `limit`, the rest summed in one row. */
function rows(raw: Tally, tiered: Tally, of: 'byFile' | 'byArea', limit: number): string[][] {
  const perCall = (tally: Tally, key: string) => (tally[of].get(key) ?? 0) / tally.calls;
  const keys = [...new Set([...raw[of].keys(), ...tiered[of].keys()])];
  const sorted = keys
    .map((key) => ({ key, raw: perCall(raw, key), tiered: perCall(tiered, key) }))
    .sort((a, b) => Math.abs(b.tiered - b.raw) - Math.abs(a.tiered - a.raw));
  const rest = sorted.slice(limit).reduce((sum, row) => ({ key: sum.key, raw: sum.raw + row.raw, tiered: sum.tiered + row.tiered }), {
    key: `the other ${Math.max(0, sorted.length - limit)}`,
    raw: 0,
    tiered: 0,
  });
  const cpu = { key: '**all: process CPU (profiler on)**', raw: raw.cpuUs / raw.calls, tiered: tiered.cpuUs / tiered.calls };
  const shown = [...sorted.slice(0, limit), ...(sorted.length > limit ? [rest] : []), cpu];
  const us = (n: number) => `${n.toFixed(1)} µs`;
  const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)} µs`;
  return shown.map((row) => [row.key, us(row.raw), us(row.tiered), signed(row.tiered - row.raw)]);
}

const mock = await startRemoteMock();
const clients = benchClients(mock.url);
try {
  const kinds: Record<string, Pair<unknown>> = {
    'non-streaming call': clients.complete,
    stream: { raw: drain(clients.stream.raw), tiered: drain(clients.stream.tiered) },
  };
  await warmUp(clients, concurrency);
  console.log(
    `Self time per call in µs: sampled every ${intervalUs} µs and scaled, batch by batch, to the process's CPU time ` +
      `(process.cpuUsage); builtins counted to their caller. ${Math.ceil(calls / batch) * batch} calls per client and kind, ` +
      `${concurrency} concurrent, in alternating batches of ${batch}.`,
  );
  for (const [kind, pair] of Object.entries(kinds)) {
    // And each kind at this concurrency, once warm.
    await alternate(2, {
      raw: () => callsPerSecond(batch, concurrency, pair.raw),
      tiered: () => callsPerSecond(batch, concurrency, pair.tiered),
    });
    const tally = (): Tally => ({ byFile: new Map(), byArea: new Map(), busyUs: 0, cpuUs: 0, calls: 0 });
    const raw = tally();
    const tiered = tally();
    await alternate(Math.ceil(calls / batch), {
      raw: () => profiledBatch(pair.raw, raw),
      tiered: () => profiledBatch(pair.tiered, tiered),
    });
    console.log(`\n## Per ${kind}, by area\n\n${table('area,raw openai,tiered-llm,difference', rows(raw, tiered, 'byArea', 100))}`);
    console.log(
      `\n## Per ${kind}, by file (largest differences)\n\n${table('file,raw openai,tiered-llm,difference', rows(raw, tiered, 'byFile', top))}`,
    );
  }
} finally {
  await clients.close();
  await mock.stop();
}
