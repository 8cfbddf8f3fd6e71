import { constants } from 'node:fs';
import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, TieredError, type TieredClientOptions } from 'tiered-llm';
import { evaluate, loadCases, renderReport, type EvalCaseInput, type EvalReport } from 'tiered-llm/eval';
import { evalArgs, USAGE, type EvalArgs } from './evalArgs.js';
import { loadConfig } from './loadConfig.js';
import { progressLine } from './progressLine.js';
import { summaryText } from './summaryText.js';

/** Where the command writes and in which folder it runs. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
}

type Demo = { options: TieredClientOptions; cases: readonly EvalCaseInput[]; judge: string; close(): Promise<void> };

/** Exit codes: 0 done, 1 a case failed to run, 2 bad input found before any call, 130 interrupted. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'eval') {
    io.stderr.write(`tiered-llm: unknown command '${command}'\n\n${USAGE}\n`);
    return 2;
  }
  let args: EvalArgs;
  try {
    args = evalArgs(rest);
  } catch (error) {
    return badInput(io, error);
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    io.stderr.write('\nStopping: the calls in flight are cancelled, what was answered is kept (Ctrl-C again to quit at once).\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let demo: Demo | undefined;
  try {
    let report: EvalReport;
    let createdOut = false;
    const out = resolve(io.cwd, args.out);
    try {
      if (args.demo) demo = await startDemo(io);
      const options = demo?.options ?? (await loadConfig(args.config!, io.cwd));
      const cases = demo?.cases ?? (await loadCases(resolve(io.cwd, args.cases!)));
      const previous = args.resume ? await readPrevious(join(out, 'results.json'), args.out) : undefined;
      createdOut = await makeOut(out, args.out);
      const progress = progressLine(io.stderr);
      report = await evaluate({
        client: options,
        cases,
        ...(args.models === undefined ? {} : { models: args.models }),
        ...judged(args.judge ?? demo?.judge),
        ...(args.route === undefined && demo === undefined ? {} : { route: 'auto' as const }),
        ...(args.repeat === undefined ? {} : { repeat: args.repeat }),
        ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
        ...monthly(args.monthlyCalls ?? (demo === undefined ? undefined : 1_000_000)),
        ...(previous === undefined ? {} : { previous }),
        signal: controller.signal,
        onProgress: (p) => progress.update(p),
      });
      progress.end();
    } catch (error) {
      // Bad input found by evaluate() before any call: leave no empty folder behind for it.
      if (createdOut) await rmdir(out).catch(() => undefined);
      if (ConfigError.isInstance(error)) return badInput(io, error);
      throw error;
    }
    io.stdout.write(`${summaryText(report)}\n\n`);
    try {
      await writeFile(join(out, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
      await writeFile(join(out, 'report.html'), renderReport(report));
    } catch (error) {
      // The answers are paid for: say where they could not go, rather than lose them in a stack trace.
      io.stderr.write(`tiered-llm eval: could not write the report to ${args.out} (${(error as Error).message})\n`);
      return 1;
    }
    io.stdout.write(`Wrote ${join(args.out, 'results.json')} and ${join(args.out, 'report.html')}.\n`);
    if (report.aborted) return 130;
    const failed = report.models.some((m) => m.errors > 0) || (report.router?.errors ?? 0) > 0;
    return failed ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    await demo?.close();
  }
}

/**
 * The demo on the embedded mock providers. Its JSON Schema case needs ajv, an optional peer: without
 * it the case is left out, and said so, rather than failing the demo of a fresh install.
 */
async function startDemo(io: CliIo): Promise<Demo> {
  const { startEvalDemo } = await import('../demo/startEvalDemo.js');
  const demo = await startEvalDemo();
  try {
    await import('ajv');
    return demo;
  } catch {
    const cases = demo.cases.filter((c) => c.check?.jsonSchema === undefined);
    io.stderr.write(
      `ajv is not installed: the demo's ${demo.cases.length - cases.length} JSON Schema case is left out (npm install ajv to check schemas).\n`,
    );
    return { ...demo, cases, close: () => demo.close() };
  }
}

async function readPrevious(path: string, shown: string): Promise<EvalReport | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined; // nothing to resume from: every case is asked
  }
  try {
    const report = JSON.parse(text) as EvalReport;
    if (report.version === 1 && Array.isArray(report.cases)) return report;
  } catch {
    // reported below
  }
  throw new ConfigError(join(shown, 'results.json'), 'is not a report of tiered-llm eval', 'Remove it, or run without --resume.');
}

/**
 * The output folder, made before any call: answers paid for must have somewhere to go. True when
 * it did not exist before.
 */
async function makeOut(out: string, shown: string): Promise<boolean> {
  try {
    const created = (await mkdir(out, { recursive: true })) !== undefined;
    await access(out, constants.W_OK);
    return created;
  } catch (error) {
    throw new ConfigError(
      '--out',
      `'${shown}' is not a folder that can be written to (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      'Give --out a new or writable folder.',
    );
  }
}

function badInput(io: CliIo, error: unknown): number {
  const hint = TieredError.isInstance(error) ? `\n${error.hint}` : '';
  io.stderr.write(`tiered-llm eval: ${asFlag(error)}${hint}\nNothing was sent.\n`);
  return 2;
}

const flags: Readonly<Record<string, string>> = {
  repeat: '--repeat',
  concurrency: '--concurrency',
  monthlyCalls: '--monthly-calls',
  judge: '--judge',
  models: '--models',
};

/** An error of evaluate()'s options, named by the flag that set it: `--repeat: must be...`, not `repeat: ...`. */
function asFlag(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!ConfigError.isInstance(error)) return message;
  const named = /^(\w+)(\[\d+\])?$/.exec(error.field);
  const flag = named === null ? undefined : flags[named[1]!];
  return flag === undefined ? message : `${flag}${named![2] ?? ''}${message.slice(error.field.length)}`;
}

const judged = (judge: string | undefined) => (judge === undefined ? {} : { judge });
const monthly = (monthlyCalls: number | undefined) => (monthlyCalls === undefined ? {} : { monthlyCalls });
