/**
 * npm run bench:eval: what `evaluate()` adds per case on top of the calls it makes. The same calls,
 * on the same client and mock (its own process, loopback, no latency), made two ways in alternating
 * rounds: by `evaluate()` (cases validated, run through the pool, checked, summarised, the report
 * built) and by a bare loop of `tieredChat()` at the same concurrency. Goal: under 1 ms per case.
 *   npm run bench:eval [-- --rounds 15 --cases 200]
 */
import { parseArgs } from 'node:util';
import { createTieredClient, type TieredRequestOptions } from 'tiered-llm';
import { evaluate, type EvalCaseInput } from 'tiered-llm/eval';
import { benchCatalog } from './catalog.js';
import { alternate, median, startRemoteMock } from './stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, cases: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
const count = Number(values.cases);
const concurrency = 4;

const mock = await startRemoteMock();
const client = createTieredClient({ catalog: benchCatalog(mock.url) });
const cases: EvalCaseInput[] = Array.from({ length: count }, (_, i) => ({
  id: `case-${i}`,
  prompt: `Question ${i}: tell me about benchmarks.`,
  check: { contains: 'Benchmarks' },
  tags: [`group-${i % 5}`],
}));
const direct: TieredRequestOptions = { fallback: 'none', providers: { only: ['local'] }, cache: false, qualityEscalation: false };

async function bareLoop(): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const c = cases[next++]!;
      await client.tieredChat({ model: 'bench-model', messages: [{ role: 'user', content: c.prompt! }] }, direct);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}

async function engine(): Promise<number> {
  const started = performance.now();
  const report = await evaluate({ client, cases, models: ['bench-model'], concurrency });
  if (report.models[0]!.quality.passRate !== 1) throw new Error('bench:eval: the scripted answers should all pass');
  return performance.now() - started;
}

await bareLoop(); // warm up connections and JIT
await engine();
const times = await alternate(rounds, { bare: bareLoop, engine });
const perCase = times.engine.map((t, i) => (t - times.bare[i]!) / count);
const msPerCase = median(perCase);
console.log(`${count} cases at concurrency ${concurrency}, ${rounds} alternating rounds (node ${process.version})`);
console.log(`bare tieredChat loop: median ${median(times.bare).toFixed(1)} ms a round`);
console.log(`evaluate():           median ${median(times.engine).toFixed(1)} ms a round`);
console.log(
  `engine overhead: ${msPerCase.toFixed(3)} ms per case (median of rounds; range ${Math.min(...perCase).toFixed(3)} to ${Math.max(...perCase).toFixed(3)}), goal < 1 ms: ${msPerCase < 1 ? 'met' : 'missed'}`,
);
await client.close();
await mock.stop();
