import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** The `index`th table of the report, as one record per row keyed by the header's cells. */
function tableOf(out: string, index = 0): Record<string, string>[] {
  const tables = out.split(/\n(?!\| )/).map((block) => block.split('\n').filter((line) => line.startsWith('| ')));
  const lines = tables.filter((table) => table.length > 0)[index]!;
  const cells = (line: string) => line.slice(2, -2).split(' | ');
  const header = cells(lines[0]!);
  return lines.slice(2).map((line) => Object.fromEntries(cells(line).map((cell, i) => [header[i], cell])));
}

describe('npm run demo', () => {
  it('runs the mixed workload on the embedded default and prints the cost, latency and quality report', async () => {
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const cwd = mkdtempSync(join(root, '.tmp/demo-'));
    try {
      // execFile gives the demo a pipe, not a terminal: the case of a CI log.
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', join(root, 'examples/demo/demo.ts')],
          { cwd, env: { ...process.env, DEMO_CALLS: '40' }, timeout: 60_000 },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        ),
      );

      expect(out).not.toContain('\r');
      expect(out.split('\n').filter((line) => line.startsWith('['))).toEqual([
        expect.stringMatching(/^\[[#.]{30}\] 10\/40$/),
        expect.stringMatching(/^\[[#.]{30}\] 20\/40$/),
        expect.stringMatching(/^\[[#.]{30}\] 30\/40$/),
        '[##############################] 40/40',
      ]);
      expect(out).toContain(
        '| tier | deployment | region | calls | failed tries | p50 ms | p95 ms | p99 ms | cost $ | cache hits | fallbacks | breaker opens | feedback | thumbs up | shadows | shadow score |',
      );
      const rows = tableOf(out);
      // Every deployment of the catalog, cheapest tier first, the sick region beside its healthy twin.
      expect(rows.map((row) => [row['tier'], row['deployment'], row['region']])).toEqual([
        ['economy', 'us/gpt-4.1-nano', 'us'],
        ['cold', 'us/gpt-4o-mini', 'us'],
        ['warm', 'eu/gpt-4.1', 'eu'],
        ['warm', 'us/gpt-4.1', 'us'],
        ['hot', 'us/gpt-4o', 'us'],
      ]);
      const [sick, healthy] = [rows[2]!, rows[3]!];
      expect(sick).toMatchObject({ calls: '0', 'p50 ms': '-' });
      expect(Number(sick['failed tries'])).toBeGreaterThan(0);
      expect(Number(sick['breaker opens'])).toBeGreaterThan(0);
      expect(Number(healthy['fallbacks'])).toBeGreaterThan(0);
      expect(out).toMatch(/40 calls in [\d.]+ s, \d+ failed; cost \$[\d.]+ against \$[\d.]+ on gpt-4o alone: \d+% saved/);

      // Quality next to cost: a thumb for every second answered call, and shadows graded by gpt-4o,
      // whose table gives each cheaper model a fixed score; the per-deployment columns add up to the lines.
      const sum = (column: string) => rows.reduce((total, row) => total + Number(row[column]), 0);
      const thumbs = Number(
        out.match(
          /^quality \(feedback \/ shadow\): (?:\w+ (?:[\d.]+|-) \/ (?:[\d.]+|-)(?:, |\. ))+(\d+) thumbs from the simulated users\.$/m,
        )?.[1],
      );
      expect(thumbs).toBeGreaterThanOrEqual(15);
      expect(sum('feedback')).toBe(thumbs);
      expect(out).toMatch(/^quality \(feedback \/ shadow\): economy 0\.\d\d \/ (?:0\.60|-), /m);
      const shadows = out.match(
        /^shadow sampling: (\d+) shadows scored by gpt-4o(?: \(dropped: (?:\w+ x\d+(?:, )?)+\))?, \$([\d.]+) of their own, not in the callers' \$([\d.]+)\.$/m,
      );
      expect(shadows).not.toBeNull();
      expect(sum('shadows')).toBe(Number(shadows![1]));
      expect(Number(shadows![2]) > 0).toBe(Number(shadows![1]) > 0);
      const graded: Record<string, string> = { 'us/gpt-4.1-nano': '0.60', 'us/gpt-4o-mini': '0.75', 'us/gpt-4.1': '0.90' };
      for (const row of rows) expect(row['shadow score']).toBe(row['shadows'] === '0' ? '-' : graded[row['deployment']!]);
      expect(rows[4]).toMatchObject({ shadows: '0', 'shadow score': '-' });

      // The cost report: the answered calls' tokens repriced on each tier alone, priciest first, projected over a month.
      expect(out).toMatch(
        /^cost report: \d+ answered calls \(cache hits not counted\) cost \$[\d.]+; at the observed rate, [\d.,M]+ calls a month, \$[\d.,]+ a month\.$/m,
      );
      const onTier = [...out.matchAll(/^ {2}your tokens on the (\w+) tier alone \(([\w.-]+)\): \$([\d.]+), \$[\d.,]+ a month$/gm)];
      expect(onTier.map(([, tier, model]) => [tier, model])).toEqual([
        ['hot', 'gpt-4o'],
        ['warm', 'gpt-4.1'],
        ['cold', 'gpt-4o-mini'],
        ['economy', 'gpt-4.1-nano'],
      ]);
      expect(Number(onTier[0]![3])).toBeGreaterThan(Number(onTier[3]![3]));
      expect(existsSync(join(cwd, 'demo-report.html'))).toBe(true);

      // Last, the same multi-turn workload with conversation affinity and without, on providers with a prompt cache.
      expect(out).toMatch(/^conversation affinity: 10 conversations x 6 turns on two deployments of gpt-4\.1 \(weighted balancing\)/m);
      const [on, off] = tableOf(out, 1);
      expect([on?.['affinity'], off?.['affinity']]).toEqual(["'conversation' (default)", 'false']);
      expect(on!['input tokens']).toBe(off!['input tokens']);
      expect(Number(on!['cached input tokens'])).toBeGreaterThan(Number(off!['cached input tokens']));
      expect(Number(on!['input cost $'])).toBeLessThan(Number(off!['input cost $']));
      expect(out).toMatch(/^with affinity each conversation stays on one deployment .*: input cost \d+% lower\.$/m);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 90_000);
});
