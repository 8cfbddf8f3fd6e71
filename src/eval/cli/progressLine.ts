import type { EvalProgress } from 'tiered-llm/eval';

/** Writes progress to a stream: a bar redrawn in place on a terminal, a line per tenth otherwise. */
export function progressLine(stream: NodeJS.WritableStream & { isTTY?: boolean }): { update(p: EvalProgress): void; end(): void } {
  let shownTenth = -1;
  let drawn = false;
  return {
    update(p) {
      const share = p.total === 0 ? 1 : p.done / p.total;
      const what = p.phase === 'answers' ? 'answers' : 'judgements';
      const tail = `${p.done}/${p.total} ${what}${p.errors > 0 ? `, ${p.errors} failed` : ''}${p.reused > 0 && p.phase === 'answers' ? `, ${p.reused} reused` : ''}`;
      if (stream.isTTY === true) {
        const filled = Math.round(share * 24);
        stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(24 - filled)}] ${tail}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth !== shownTenth || p.done === p.total) {
        shownTenth = tenth;
        stream.write(`${Math.round(share * 100)}% ${tail}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
