/** Statistics and process plumbing shared by the benchmarks. */
import { fork, type ChildProcess } from 'node:child_process';

/** Nearest-rank percentile of `values` (not mutated). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

/** The middle value of `values`, or the mean of the two middle ones when their count is even (not a nearest rank: with 8 runs, that would always favour one side). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : sorted.length === 0 ? Number.NaN : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median of the ratios `tiered[i] / raw[i]`: of batches run one after the other, so that
 * what slowed the machine for a while weighs on both sides of a ratio.
 */
export const pairedRatio = (raw: readonly number[], tiered: readonly number[]): number => median(tiered.map((value, i) => value / raw[i]!));

/**
 * Runs each contender's batch `rounds` times, taking turns and rotating which goes first, so that
 * machine noise longer than a batch falls on every contender alike and none always meets a warmer
 * (or busier) machine. Returns each contender's batch results in order.
 */
export async function alternate<C extends string, R>(rounds: number, contenders: Record<C, () => Promise<R>>): Promise<Record<C, R[]>> {
  const names = Object.keys(contenders) as C[];
  const results = Object.fromEntries(names.map((name) => [name, [] as R[]])) as Record<C, R[]>;
  for (let round = 0; round < rounds; round++)
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length]!;
      results[name].push(await contenders[name]());
    }
  return results;
}

/** `calls` calls one after another: each call's samples, and this process's CPU time per call in µs over the batch. */
export async function sequential<K extends string>(
  calls: number,
  call: () => Promise<Record<K, number>>,
): Promise<{ samples: Record<K, number>[]; cpuUs: number }> {
  const samples: Record<K, number>[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) samples.push(await call());
  const cpu = process.cpuUsage(cpu0);
  return { samples, cpuUs: (cpu.user + cpu.system) / calls };
}

/** One client's side of {@link sideBySide}: every sample of each measure, and its CPU per call (median of the batches). */
export interface Side<K extends string> {
  readonly samples: Record<K, number[]>;
  readonly cpuUs: number;
}

/**
 * `count` calls through each client of `pair`, one at a time, in alternating batches of `batch`
 * (see `alternate`), each timed by `timed`: each side's samples per measure and CPU, and the CPU
 * ratio as the median of adjacent batches' ratios.
 */
export async function sideBySide<T, K extends string>(
  pair: { readonly raw: () => Promise<T>; readonly tiered: () => Promise<T> },
  count: number,
  batch: number,
  timed: (call: () => Promise<T>) => Promise<Record<K, number>>,
): Promise<{ raw: Side<K>; tiered: Side<K>; cpuRatio: number }> {
  const batches = await alternate(Math.ceil(count / batch), {
    raw: () => sequential(batch, () => timed(pair.raw)),
    tiered: () => sequential(batch, () => timed(pair.tiered)),
  });
  const side = (runs: typeof batches.raw): Side<K> => {
    const samples = {} as Record<K, number[]>;
    for (const run of runs)
      for (const sample of run.samples) for (const key of Object.keys(sample) as K[]) (samples[key] ??= []).push(sample[key]);
    return { samples, cpuUs: median(runs.map((run) => run.cpuUs)) };
  };
  const cpu = (runs: typeof batches.raw) => runs.map((run) => run.cpuUs);
  return { raw: side(batches.raw), tiered: side(batches.tiered), cpuRatio: pairedRatio(cpu(batches.raw), cpu(batches.tiered)) };
}

/** Starts a bench script in a child process under tsx, resolving `tiered-llm` to the built package as the bench does. */
function forkBench(script: string, args: string[]): ChildProcess {
  return fork(new URL(script, import.meta.url).pathname, args, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: new URL('./tsconfig.json', import.meta.url).pathname },
    stdio: 'inherit',
  });
}

/** Resolves once `child` has exited and its handle is released (in the close phase after 'exit': the next turn). */
const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => setTimeout(() => resolve(code), 0)));

/** A mock provider running in a child process. */
export interface RemoteMock {
  readonly url: string;
  /** Sends `question` to the child and resolves with its next message (e.g. what its mock counted). */
  ask<T>(question: string): Promise<T>;
  /** Asks the child to close its mock and exit; resolves once it has. */
  stop(): Promise<void>;
}

/**
 * Starts a mock provider script (default: `mockProcess.ts`) in a child process, so that it does
 * not share an event loop or a heap with the client being measured.
 */
export async function startRemoteMock(script = './mockProcess.ts', args: string[] = []): Promise<RemoteMock> {
  const child = forkBench(script, args);
  const exited = exitOf(child);
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`mock process exited with ${code}`)));
  });
  return {
    url,
    ask: <T>(question: string) =>
      new Promise<T>((resolve) => {
        child.once('message', (answer) => resolve(answer as T));
        child.send(question);
      }),
    stop: async () => {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

/** Runs a bench script in a fresh child process and resolves with the one message it sends, once it has exited cleanly. */
export async function runInChild<T>(script: string, args: string[]): Promise<T> {
  const child = forkBench(script, args);
  let message: T | undefined;
  child.once('message', (m) => (message = m as T));
  // 'exit' may come before the last message is read from the channel: 'disconnect' comes after it.
  const disconnected = new Promise((resolve) => child.once('disconnect', resolve));
  const [code] = await Promise.all([exitOf(child), disconnected]);
  if (code !== 0 || message === undefined)
    throw new Error(`${script} exited with ${code}${message === undefined ? ' and sent nothing' : ''}`);
  return message;
}
