import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Run in a process of its own, with the collector exposed: what a finished pause keeps alive is
// only visible after a full collection.
const timeLimit = fileURLToPath(new URL('./timeLimit.ts', import.meta.url));
const script = `
import { pause } from ${JSON.stringify(timeLimit)};
const signals = [];
async function pauseOnce() {
  const controller = new AbortController();
  signals.push(new WeakRef(controller.signal));
  await pause(0, controller.signal);
}
for (let i = 0; i < 200; i++) await pauseOnce();
for (let i = 0; i < 2; i++) {
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc();
}
await new Promise((resolve) => setImmediate(resolve));
console.log(signals.filter((ref) => ref.deref() !== undefined).length);
`;

describe('pause', () => {
  it('keeps nothing of a finished pause alive: its signal can be collected', async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], (error, out) =>
        error === null ? resolve(out) : reject(error),
      );
    });
    expect(Number(stdout.trim())).toBe(0);
  });
});
