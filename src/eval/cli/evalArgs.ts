import { parseArgs } from 'node:util';
import { ConfigError } from 'tiered-llm';

/** The flags of `tiered-llm eval`, parsed and checked. */
export interface EvalArgs {
  readonly config?: string;
  readonly cases?: string;
  readonly models?: readonly string[];
  readonly judge?: string;
  readonly route?: 'auto';
  readonly repeat?: number;
  readonly concurrency?: number;
  readonly monthlyCalls?: number;
  readonly out: string;
  readonly resume: boolean;
  readonly demo: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage:
  tiered-llm eval --config ./tiered.config.mjs --cases ./cases.jsonl
                  [--models economy,warm,hot] [--judge hot] [--route auto] [--repeat 1]
                  [--concurrency 4] [--monthly-calls 1000000] [--out ./tiered-eval] [--resume]
  tiered-llm eval --demo     embedded mock providers and shipped cases: no API key, no network

Runs every case on every model directly, scores the answers (a case's check, else the judge),
prints cost, latency and quality side by side, and writes OUT/results.json and OUT/report.html.
Exit code: 0 done, 1 a case failed to run, 2 bad input (nothing was sent), 130 interrupted.`;

/** @throws ConfigError naming the flag. */
export function evalArgs(argv: readonly string[]): EvalArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        cases: { type: 'string' },
        models: { type: 'string' },
        judge: { type: 'string' },
        route: { type: 'string' },
        repeat: { type: 'string' },
        concurrency: { type: 'string' },
        'monthly-calls': { type: 'string' },
        out: { type: 'string', default: './tiered-eval' },
        resume: { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new ConfigError('arguments', (error as Error).message, 'See tiered-llm eval --help.');
  }
  const v = parsed.values;
  if (v.route !== undefined && v.route !== 'auto')
    throw new ConfigError('--route', `must be auto, got '${v.route}'`, 'Give --route auto, or leave it out.');
  if (!v.demo && !v.help && (v.config === undefined || v.cases === undefined))
    throw new ConfigError(
      v.config === undefined ? '--config' : '--cases',
      'is required',
      'Give --config and --cases, or run tiered-llm eval --demo.',
    );
  const models = v.models
    ?.split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  return {
    ...(v.config === undefined ? {} : { config: v.config }),
    ...(v.cases === undefined ? {} : { cases: v.cases }),
    ...(models === undefined ? {} : { models }),
    ...(v.judge === undefined ? {} : { judge: v.judge }),
    ...(v.route === undefined ? {} : { route: 'auto' as const }),
    ...numberFlag(v.repeat, 'repeat', 'repeat'),
    ...numberFlag(v.concurrency, 'concurrency', 'concurrency'),
    ...numberFlag(v['monthly-calls'], 'monthly-calls', 'monthlyCalls'),
    out: v.out,
    resume: v.resume,
    demo: v.demo,
    help: v.help,
  };
}

function numberFlag(value: string | undefined, flag: string, key: string): Record<string, number> {
  if (value === undefined) return {};
  const number = Number(value.replace(/_/g, ''));
  if (value.trim() === '' || !Number.isFinite(number))
    throw new ConfigError(
      `--${flag}`,
      `must be a number, got '${value}'`,
      `For example --${flag} ${flag === 'monthly-calls' ? '1000000' : '4'}.`,
    );
  return { [key]: number };
}
