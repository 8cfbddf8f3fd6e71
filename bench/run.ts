/**
 * npm run bench: tiered-llm against the raw openai client on the same mock provider (its own
 * process, loopback). `--runs` runs, each in a fresh process, each interleaving the two clients in
 * alternating batches after a warm-up of both; a goal is judged by the median of the runs' ratios,
 * reported with their range. Then the figures measured once (open breaker, cache, memory). Prints
 * the tables and writes bench/RESULTS.md. Ratios, not absolute times, carry from one machine to another.
 *   npm run bench [-- --runs 8 --iterations 500 --concurrency 64 --overhead-only]
 * --iterations: calls (and streams) per client per run for the latency measures; the throughput
 * measure makes four times as many. --overhead-only: the runs alone, printed, RESULTS.md untouched.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { benchCache } from './cache.js';
import { measures, type RunFigures } from './figures.js';
import { benchMemory } from './memory.js';
import { benchOpenBreaker } from './openBreaker.js';
import { onceTables, overheadTables } from './report.js';
import { runInChild, startRemoteMock } from './stats.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '8' },
    iterations: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '64' },
    'overhead-only': { type: 'boolean', default: false },
  },
});
const [runs, iterations, concurrency] = [values.runs, values.iterations, values.concurrency].map(Number) as [number, number, number];
for (const [name, n] of Object.entries({ runs, iterations, concurrency }))
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench: --${name} takes a positive integer`);

const startedAt = performance.now();
const elapsed = () => `${Math.round((performance.now() - startedAt) / 1000)} s`;
const mock = await startRemoteMock();
const figures: RunFigures[] = [];
let once = '';
try {
  for (let run = 1; run <= runs; run++) {
    const figure = await runInChild<RunFigures>('./overheadRun.ts', [mock.url, String(iterations), String(concurrency)]);
    figures.push(figure);
    const ratios = measures(concurrency)
      .filter((measure) => measure.goal)
      .map((measure) => `${measure.short} ${figure.ratio[measure.key].toFixed(3)}x`);
    console.error(`run ${run}/${runs} (${elapsed()}): ${ratios.join(', ')}, cache hit ${figure.cacheHitUs.toFixed(1)} µs`);
  }
  if (!values['overhead-only']) {
    once = onceTables(
      await benchOpenBreaker(mock.url, iterations),
      await benchCache(mock.url, iterations),
      await benchMemory(mock.url, 10_000),
    );
    console.error(`measured once: open breaker, cache, memory (${elapsed()})`);
  }
} finally {
  await mock.stop();
}
const seconds = Math.round((performance.now() - startedAt) / 1000);

const { summary, perRun, verdicts } = overheadTables(figures, concurrency);
const met = verdicts.filter((v) => v.met).length;
const missed = verdicts.filter((v) => !v.met).map((v) => v.label);
const verdictLine = `Goals met: ${met} of ${verdicts.length}${missed.length ? ` (missed: ${missed.join('; ')})` : ''}.`;

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
let commit = 'an unknown commit';
try {
  // What is measured is src/ as built: name the last commit that changed it, and say if it has changed since.
  commit = `src/ as of ${git('log', '-1', '--format=%h', '--', 'src')}${git('status', '--porcelain', '--', 'src') ? ', with uncommitted changes' : ''}`;
} catch {
  // Not a git checkout: the date and versions must do.
}
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const { VERSION: openaiVersion } = await import('openai/version');
const { default: pkg } = await import('tiered-llm/package.json', { with: { type: 'json' } });
const versions = `node ${process.version}, openai ${openaiVersion}, tiered-llm ${pkg.version} (${commit})`;
const machine = `${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}`;
const took = `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
const tables = `${summary}\n\n${verdictLine}\n\nEach run's ratios:\n\n${perRun}${once ? `\n\n${once}` : ''}`;
console.log(`${runs} runs of ${iterations} calls per client; ${versions}; ${machine}; took ${took}\n\n${tables}`);

// The tables are this run's; what follows the marker (install size, the soak) is written by other tools or by hand, and kept.
const results = new URL('./RESULTS.md', import.meta.url);
const marker = '<!-- npm run bench rewrites everything above this line and keeps everything below it -->';
const previous = existsSync(results) ? readFileSync(results, 'utf8') : '';
const kept = previous.includes(marker) ? previous.slice(previous.indexOf(marker)) : `${marker}\n`;
if (!values['overhead-only'])
  writeFileSync(
    results,
    `# Benchmark results\n\n\`npm run bench -- --runs ${runs} --iterations ${iterations}\` on ${new Date().toISOString().slice(0, 10)}: ` +
      `${versions}; ${machine}; it took ${took} (after the build).\n\n` +
      `Both clients call the same mock provider, in its own process, on loopback, with no latency of its own: ` +
      `what is measured is pure client overhead, the worst case for a ratio. tiered-llm runs as shipped, with the cache off and one deployment. ` +
      `The answer is about 1 KB, streamed in 52 chunks. ` +
      `Each of the ${runs} runs is a fresh process that warms both clients up, then takes turns between them in batches ` +
      `(16 calls one at a time, or 256 calls at ${concurrency} concurrent), rotating which goes first, so that the machine's noise falls on both alike: ` +
      `${iterations} calls and ${iterations} streams per client one at a time, ${iterations * 4} calls per client at ${concurrency} concurrent, ` +
      `and ${iterations * 2} cache hits. CPU is this process's user and system time (\`process.cpuUsage()\`) over each batch, per call. ` +
      `Times are compared by their medians in each run; throughput and CPU by the median of the ratios of adjacent batches. ` +
      `A goal is judged by the median of the runs' ratios (tiered-llm over raw openai); the range is the lowest and highest run's ratio; ` +
      `the columns of figures are the medians of the runs' figures. ` +
      `The last three tables are measured once, after the runs. Heap growth over many calls moves by a megabyte or two either way from run to run, ` +
      `for both clients (connection pools, compiled code): compare the two side by side; \`npm run soak\` is the leak check, over 50,000 calls. ` +
      `Where tiered-llm's microseconds go: \`npm run bench:breakdown\`.\n\n${tables}\n\n${kept}`,
  );
