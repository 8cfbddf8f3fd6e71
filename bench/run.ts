/**
 * npm run bench: tiered-llm against the raw openai client on the same mock provider (its own
 * process, loopback), in one run, interleaved. Prints the figures with their goals and writes
 * bench/RESULTS.md. Ratios, not absolute times, are what carry from one machine to another.
 *   npm run bench [-- iterations]
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchNonStreaming } from './nonStreaming.js';
import { startRemoteMock } from './stats.js';
import { benchStreaming } from './streaming.js';

const iterations = Number(process.argv[2] ?? 1000);
const mock = await startRemoteMock();
try {
  const nonStreaming = await benchNonStreaming(mock.url, iterations);
  const streaming = await benchStreaming(mock.url, iterations);

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
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const versions = `node ${process.version}, openai ${(await import('openai/version')).VERSION}`;
  const machine = `${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}`;
  console.log(`${iterations} interleaved calls each; ${versions}; ${machine}\n\n${table}`);
  writeFileSync(
    new URL('./RESULTS.md', import.meta.url),
    `# Benchmark results\n\n\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${versions}; ${machine}.\n\n` +
      `Both clients call the same embedded mock provider, in its own process, on loopback, with no latency of its own: ` +
      `what is measured is pure client overhead, the worst case for a ratio. ${iterations} calls each, interleaved, after a warm-up. ` +
      `The streamed answer is 50 chunks.\n\n${table}\n`,
  );
} finally {
  mock.stop();
}
