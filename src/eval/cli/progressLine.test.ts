import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressLine } from './progressLine.js';

function stream(isTTY: boolean): { out: PassThrough & { isTTY?: boolean }; text: () => string } {
  const out: PassThrough & { isTTY?: boolean } = new PassThrough();
  out.isTTY = isTTY;
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { out, text: () => chunks.join('') };
}

const steps = (total: number) =>
  Array.from({ length: total }, (_, i) => ({ phase: 'answers' as const, done: i + 1, total, errors: 0, reused: 0 }));

describe('progressLine', () => {
  it('redraws one bar in place on a terminal, and ends the line', async () => {
    const { out, text } = stream(true);
    const progress = progressLine(out);
    for (const step of steps(4)) progress.update(step);
    progress.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(text().split('\r\x1b[2K')).toHaveLength(5);
    expect(text()).toMatch(/\[#{24}\] 4\/4 answers\n$/);
  });

  it('writes a plain line per tenth when the output is not a terminal', async () => {
    const { out, text } = stream(false);
    const progress = progressLine(out);
    for (const step of steps(40)) progress.update({ ...step, errors: step.done > 30 ? 1 : 0 });
    progress.end();
    await new Promise((resolve) => setImmediate(resolve));
    const lines = text().trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toBe('100% 40/40 answers, 1 failed');
    expect(text().includes('\r') || text().includes('\u001b')).toBe(false);
  });
});
