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

/**
 * Runs two contenders `iterations` times each, one after the other, alternating which goes first
 * so that neither always meets a warmer (or busier) machine; after a warm-up of both.
 * Each run returns named samples (e.g. ttft, total).
 */
export async function interleave<K extends string>(
  iterations: number,
  contenders: Record<'raw' | 'tiered', () => Promise<Record<K, number>>>,
): Promise<Record<'raw' | 'tiered', Record<K, number[]>>> {
  for (let i = 0; i < Math.min(100, iterations); i++) await Promise.all([contenders.raw(), contenders.tiered()]);
  const samples = { raw: {} as Record<K, number[]>, tiered: {} as Record<K, number[]> };
  for (let i = 0; i < iterations; i++) {
    for (const which of i % 2 === 0 ? (['raw', 'tiered'] as const) : (['tiered', 'raw'] as const)) {
      const run = await contenders[which]();
      for (const key of Object.keys(run) as K[]) (samples[which][key] ??= []).push(run[key]);
    }
  }
  return samples;
}
