/**
 * The fuzz suite's knobs, from the environment:
 * - `FUZZ_SEED`: the seed (an integer), or `random` for a new one; CI uses the fixed seed below.
 * - `FUZZ_RUNS`: runs per property (default: each property's CI share, 1,000).
 * - `FUZZ_PATH`: fast-check's counterexample path, to replay one failure with its seed; a path
 *   belongs to the property that printed it, so run that one alone:
 *   `FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run test/fuzz -t 'non-streaming'` (or `-t 'a streaming'`).
 * - `FUZZ_IGNORE`: a regular expression of violation kinds to ignore, to look past a known
 *   failure for the next one (e.g. `FUZZ_IGNORE='secret leaked|untyped error'`).
 */

/** The seed CI runs. */
export const fixedSeed = 20_260_311;

export interface FuzzSettings {
  readonly seed: number;
  readonly runs: number | undefined;
  readonly path: string | undefined;
  readonly ignore: RegExp | undefined;
}

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const raw = env.FUZZ_SEED?.trim() ?? '';
  const seed = raw === '' ? fixedSeed : raw === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or 'random', not '${raw}'`);
  const runs = env.FUZZ_RUNS === undefined || env.FUZZ_RUNS === '' ? undefined : Number(env.FUZZ_RUNS);
  if (runs !== undefined && !(Number.isSafeInteger(runs) && runs > 0))
    throw new Error(`FUZZ_RUNS must be a positive integer, not '${env.FUZZ_RUNS}'`);
  return {
    seed,
    runs,
    path: env.FUZZ_PATH || undefined,
    ignore: env.FUZZ_IGNORE ? new RegExp(env.FUZZ_IGNORE) : undefined,
  };
}
