/** The tables of `npm run bench`, in markdown: overhead over the runs, each run's ratios, and the figures measured once. */
import { cacheHitGoalUs, goalText, measures, meets, type Measure, type RunFigures } from './figures.js';
import { median } from './stats.js';

const ms = (n: number) => `${n.toFixed(3)} ms`;
const us = (n: number) => `${n.toFixed(1)} µs`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const x = (n: number) => `${n.toFixed(3)}x`;
const value = (unit: Measure['unit'], n: number) => (unit === 'ms' ? ms(n) : unit === 'µs' ? us(n) : n.toFixed(0));
const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'met' : '**missed**');

/** A markdown table: the first column, goals and verdicts aligned left, figures right. */
export function table(header: string, rows: string[][]): string {
  const names = header.split(',');
  const rule = names.map((name, i) => (i === 0 || name === 'goal' || name === 'met' ? '---' : '---:'));
  return [names, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A goal's verdict, for the summary line. */
export interface Verdict {
  readonly label: string;
  readonly met: boolean;
}

/**
 * The overhead table (each figure the median over the runs; each ratio the median of the runs'
 * ratios, with their range) and a table of each run's ratios; with the verdict on every goal.
 */
export function overheadTables(runs: readonly RunFigures[], concurrency: number) {
  const verdicts: Verdict[] = [];
  const rows = measures(concurrency).map((measure) => {
    const ratios = runs.map((run) => run.ratio[measure.key]);
    const ratio = median(ratios);
    const met = meets(measure, ratio);
    if (met !== undefined) verdicts.push({ label: measure.label, met });
    return [
      measure.label,
      value(measure.unit, median(runs.map((run) => run.raw[measure.key]))),
      value(measure.unit, median(runs.map((run) => run.tiered[measure.key]))),
      x(ratio),
      `${x(Math.min(...ratios))} – ${x(Math.max(...ratios))}`,
      goalText(measure),
      verdict(met),
    ];
  });
  const hits = runs.map((run) => run.cacheHitUs);
  const hitMet = median(hits) < cacheHitGoalUs;
  verdicts.push({ label: 'cache hit, median', met: hitMet });
  rows.push([
    'cache hit, in process, median',
    '',
    us(median(hits)),
    '',
    `${us(Math.min(...hits))} – ${us(Math.max(...hits))}`,
    `< ${cacheHitGoalUs} µs`,
    verdict(hitMet),
  ]);
  const summary = table(`measure,raw openai,tiered-llm,ratio (median of ${runs.length} runs),range of the runs,goal,met`, rows);

  const goals = measures(concurrency).filter((measure) => measure.goal);
  const perRun = table(
    ['run', ...goals.map((measure) => measure.short), 'cache hit'].join(','),
    runs.map((run, i) => [String(i + 1), ...goals.map((measure) => x(run.ratio[measure.key])), us(run.cacheHitUs)]),
  );
  return { summary, perRun, verdicts };
}

/** The figures measured once, after the runs: skipping an open breaker, the cache's heavier cases, memory. */
export function onceTables(
  breaker: { directMs: number; skippingMs: number },
  cache: { bigHitUs: number; bytesPerAnswer: number },
  memory: { calls: number; raw: { clientBytes: number; growthBytes: number }; tiered: { clientBytes: number; growthBytes: number } },
): string {
  const resilience = table('measure,value', [
    ['call to the healthy deployment alone, median', ms(breaker.directMs)],
    ['same call, first skipping a deployment whose breaker is open, median', ms(breaker.skippingMs)],
    [
      'cost of skipping an open breaker',
      `${us((breaker.skippingMs - breaker.directMs) * 1000)} (${x(breaker.skippingMs / breaker.directMs)})`,
    ],
  ]);
  const cacheTable = table('cache measure,value', [
    ['hit with a 100 KB prompt (hashing it), median', us(cache.bigHitUs)],
    ['heap per cached 1 KB answer', kib(cache.bytesPerAnswer)],
  ]);
  const memoryTable = table('memory,raw openai,tiered-llm', [
    ['heap of one client after its first call (one deployment; mean of 100)', kib(memory.raw.clientBytes), kib(memory.tiered.clientBytes)],
    [
      `heap growth over ${memory.calls.toLocaleString('en')} calls after a warm-up, collected`,
      kib(memory.raw.growthBytes),
      kib(memory.tiered.growthBytes),
    ],
  ]);
  return `${resilience}\n\n${cacheTable}\n\n${memoryTable}`;
}
