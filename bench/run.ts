/**
 * npm run bench: tiered-llm against the raw openai client on the same mock provider (its own
 * process, loopback), in one run, interleaved. Prints the figures with their goals and writes
 * bench/RESULTS.md. Ratios, not absolute times, are what carry from one machine to another.
 *   npm run bench [-- iterations]
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchCache } from './cache.js';
import { benchNonStreaming } from './nonStreaming.js';
import { startRemoteMock } from './stats.js';
import { benchStreaming } from './streaming.js';

const iterations = Number(process.argv[2] ?? 1000);
const mock = await startRemoteMock();
try {
  const nonStreaming = await benchNonStreaming(mock.url, iterations);
  const streaming = await benchStreaming(mock.url, iterations);
  const cache = await benchCache(mock.url, iterations);

  const ms = (n: number) => `${n.toFixed(3)} ms`;
  const ratio = (tiered: number, raw: number) => tiered / raw;
  const rows: [string, number, number, string][] = [
    ['non-streaming latency, median', nonStreaming.raw.medianMs, nonStreaming.tiered.medianMs, '<= 1.05x'],
    ['non-streaming latency, p99', nonStreaming.raw.p99Ms, nonStreaming.tiered.p99Ms, '<= 1.05x'],
    ['streaming time to first token, median', streaming.raw.ttftMs, streaming.tiered.ttftMs, '<= 1.05x'],
    ['streaming time to first token, p99', streaming.raw.ttftP99Ms, streaming.tiered.ttftP99Ms, ''],
    ['streaming total time, median', streaming.raw.totalMs, streaming.tiered.totalMs, '<= 1.05x'],
    ['streaming total time, p99', streaming.raw.totalP99Ms, streaming.tiered.totalP99Ms, ''],
  ];
  const table = [
    '| measure | raw openai | tiered-llm | ratio | goal |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map(([name, raw, tiered, goal]) => `| ${name} | ${ms(raw)} | ${ms(tiered)} | ${ratio(tiered, raw).toFixed(3)}x | ${goal} |`),
  ].join('\n');
  const cacheTable = [
    '| cache measure | value | goal |',
    '| --- | ---: | --- |',
    `| hit, in process, median | ${cache.hitUs.toFixed(1)} µs | < 25 µs |`,
    `| hit against a raw loopback call (${ms(cache.rawMs)}) | ${(cache.hitUs / 1000 / cache.rawMs).toFixed(4)}x | |`,
    `| hit with a 100 KB prompt (hashing it), median | ${cache.bigHitUs.toFixed(1)} µs | |`,
    `| heap per cached 1 KB answer | ${(cache.bytesPerAnswer / 1024).toFixed(2)} KiB | |`,
  ].join('\n');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const versions = `node ${process.version}, openai ${(await import('openai/version')).VERSION}`;
  const machine = `${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}`;
  console.log(`${iterations} interleaved calls each; ${versions}; ${machine}\n\n${table}\n\n${cacheTable}`);
  writeFileSync(
    new URL('./RESULTS.md', import.meta.url),
    `# Benchmark results\n\n\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${versions}; ${machine}.\n\n` +
      `Both clients call the same embedded mock provider, in its own process, on loopback, with no latency of its own: ` +
      `what is measured is pure client overhead, the worst case for a ratio. ${iterations} calls each, interleaved, after a warm-up. ` +
      `The answer is about 1 KB, streamed in 52 chunks.\n\n${table}\n\n${cacheTable}\n`,
  );
} finally {
  mock.stop();
}
