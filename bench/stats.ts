/** Nearest-rank percentile of `values` (not mutated). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 0.5);

/** A mock provider running in a child process. */
export interface RemoteMock {
  readonly url: string;
  /** Asks the child to close its mock and exit; resolves once it has. */
  stop(): Promise<void>;
}

/**
 * Starts a mock provider script (default: `mockProcess.ts`) in a child process, so that it does
 * not share an event loop or a heap with the client being measured.
 */
export async function startRemoteMock(script = './mockProcess.ts', args: string[] = []): Promise<RemoteMock> {
  const { fork } = await import('node:child_process');
  const child = fork(new URL(script, import.meta.url).pathname, args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  // The child's process handle is released in the close phase after 'exit': resolve in the next turn.
  const exited = new Promise<void>((resolve) => child.once('exit', () => setTimeout(resolve, 0)));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`mock process exited with ${code}`)));
  });
  return {
    url,
    stop: () => {
      if (child.connected) child.disconnect();
      return exited;
    },
  };
}

/**
 * Runs each contender `iterations` times, taking turns and rotating which goes first so that none
 * always meets a warmer (or busier) machine; after a warm-up of all. Each run returns named
 * samples (e.g. ttft, total).
 */
export async function interleave<C extends string, K extends string>(
  iterations: number,
  contenders: Record<C, () => Promise<Record<K, number>>>,
): Promise<Record<C, Record<K, number[]>>> {
  const names = Object.keys(contenders) as C[];
  for (let i = 0; i < Math.min(100, iterations); i++) await Promise.all(names.map((name) => contenders[name]()));
  const samples = Object.fromEntries(names.map((name) => [name, {}])) as Record<C, Record<K, number[]>>;
  for (let i = 0; i < iterations; i++) {
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(i + turn) % names.length]!;
      const run = await contenders[name]();
      for (const key of Object.keys(run) as K[]) (samples[name][key] ??= []).push(run[key]);
    }
  }
  return samples;
}
