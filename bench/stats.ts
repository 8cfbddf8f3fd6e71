/** Nearest-rank percentile of `values` (not mutated). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 0.5);

/** Starts the mock provider in a child process and resolves to its URL and a stop function. */
export async function startRemoteMock(): Promise<{ url: string; stop(): void }> {
  const { fork } = await import('node:child_process');
  const child = fork(new URL('./mockProcess.ts', import.meta.url).pathname, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`mock process exited with ${code}`)));
  });
  return { url, stop: () => child.disconnect() };
}
