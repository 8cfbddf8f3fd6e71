import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvalReport } from 'tiered-llm/eval';
import { startMockOpenAI, type MockOpenAI } from 'tiered-llm/testing';

// The built command, as npx runs it (npm test builds first).
const bin = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
// `node --import tsx`, by path: the config's folder has no node_modules of its own.
const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

let dir: string;
let mock: MockOpenAI;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tiered-eval-cli-'));
  mock = await startMockOpenAI({ defaultReply: { content: 'Paris', usage: { promptTokens: 10, completionTokens: 2 } } });
  // A plain catalog definition: the config module needs no import of its own.
  writeFileSync(
    join(dir, 'tiered.config.mjs'),
    `export default {
  providers: { local: { apiKey: 'sk-cli-test-0123456789abcdef', baseURL: '${mock.url}' } },
  tiers: ['economy', 'hot'],
  models: [
    { id: 'mini', provider: 'local', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128000 },
    { id: 'max', provider: 'local', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128000 },
  ],
};
`,
  );
  writeCases(
    '{"id": "capital", "prompt": "Capital of France?", "check": {"contains": "Paris"}}\n{"id": "sum", "prompt": "17 + 25?", "check": {"equals": "42"}}\n',
  );
});
afterEach(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeCases(text: string): void {
  writeFileSync(join(dir, 'cases.jsonl'), text);
}

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, CI: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

const evalArgs = ['eval', '--config', 'tiered.config.mjs', '--cases', 'cases.jsonl', '--out', 'out'];
const results = (): EvalReport => JSON.parse(readFileSync(join(dir, 'out/results.json'), 'utf8')) as EvalReport;

describe('tiered-llm eval', () => {
  it('prints the models side by side, writes results.json and report.html, and exits 0', async () => {
    mock.setReply('max', { content: '42', usage: { promptTokens: 10, completionTokens: 1 } });
    mock.setReply('mini', { content: '42', usage: { promptTokens: 10, completionTokens: 1 } });
    const { code, stdout } = await run(...evalArgs, '--monthly-calls', '1000000');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^model\s+tier\s+runs\s+errors\s+\$\/case/m);
    expect(stdout).toMatch(/no fallback, no cache, no routing, no budget downgrade, no quality escalation/);
    expect(stdout).toMatch(/A month of 1,000,000 calls/);
    expect(results().models.map((m) => m.model)).toEqual(['mini', 'max']);
    expect(readFileSync(join(dir, 'out/report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('exits 2 and sends nothing when a case line is malformed, naming the line and field', async () => {
    writeCases('{"id": "a", "prompt": "hi"}\n{"id": "b", "prompt": "hi", "check": {"regex": "("}}\n');
    const { code, stderr } = await run(...evalArgs);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cases\.jsonl line 2: check\.regex: is not a valid regular expression/);
    expect(mock.requests).toHaveLength(0);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it.each([
    [['--cases', 'missing.jsonl'], /missing\.jsonl: cannot be read/],
    [['--config', 'nope.mjs'], /nope\.mjs: does not exist/],
    [['--models', 'mini,gpt-7'], /--models\[1\]: 'gpt-7' is not a tier, a model id/],
    [['--concurrency', '500'], /--concurrency: must be an integer in 1\.\.64, got 500/],
    [['--repeat', 'many'], /--repeat: must be a number/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ])('exits 2 and sends nothing for bad input %j', async (flags, message) => {
    const args = [...evalArgs];
    for (let i = 0; i < flags.length; i += 2) {
      const at = args.indexOf(flags[i]!);
      if (at >= 0) args[at + 1] = flags[i + 1]!;
      else args.push(...flags.slice(i, i + 2));
    }
    const { code, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(mock.requests).toHaveLength(0);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('exits 2 and sends nothing when --out names a file, not a folder', async () => {
    writeFileSync(join(dir, 'taken'), 'a file');
    const { code, stderr } = await run(...evalArgs.slice(0, -1), 'taken');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--out: .*taken/);
    expect(stderr).toMatch(/Nothing was sent/);
    expect(mock.requests).toHaveLength(0);
  });

  it('exits 1 when a provider fails every call, keeping every answer already paid for', async () => {
    mock.setReply('max', { status: 503 });
    const { code, stdout } = await run(...evalArgs);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^max\s+hot\s+2\s+2/m);
    const report = results();
    expect(report.models.find((m) => m.model === 'mini')).toMatchObject({ runs: 2, errors: 0 });
    expect(report.cases[0]!.byModel['mini']!.text).toBe('Paris');
  });

  it('sends no request for answered cases with --resume', async () => {
    expect((await run(...evalArgs)).code).toBe(0);
    mock.reset();
    writeCases(
      '{"id": "capital", "prompt": "Capital of France?", "check": {"contains": "Paris"}}\n{"id": "sum", "prompt": "17 + 25?", "check": {"equals": "42"}}\n{"id": "new", "prompt": "Capital of Italy?"}\n',
    );
    const { code, stdout } = await run(...evalArgs, '--resume');
    expect(code).toBe(0);
    expect(mock.requests.map((r) => r.model)).toEqual(expect.arrayContaining(['mini', 'max']));
    expect(mock.requests).toHaveLength(2);
    expect(stdout).toMatch(/4 answers reused/);
  });

  it('stops cleanly on Ctrl-C, writing what was answered, and exits 130', async () => {
    mock.setReply('max', { fault: 'hang' });
    const child = spawn(process.execPath, [bin, ...evalArgs, '--concurrency', '1'], { cwd: dir });
    await mock.waitForRequests(2);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const report = results();
    expect(report.aborted).toBe(true);
    expect(report.cases[0]!.byModel['mini']!.text).toBe('Paris');
  });

  it('runs the demo on embedded mock providers, with no key and no network', async () => {
    const { code, stdout } = await run('eval', '--demo', '--out', 'demo');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Recommended: /);
    expect(stdout).toMatch(/Router against /);
    expect(stdout).toMatch(/Judge /);
    expect(existsSync(join(dir, 'demo/report.html'))).toBe(true);
  });

  it('runs the shipped example (examples/eval) as the README shows, here against the mock', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const args = [
      'eval',
      '--config',
      'examples/eval/tiered.config.mjs',
      '--cases',
      'examples/eval/cases.jsonl',
      '--judge',
      'hot',
      '--route',
      'auto',
      '--monthly-calls',
      '1000000',
      '--out',
      join(dir, 'example'),
    ];
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const env = { ...process.env, OPENAI_API_KEY: 'sk-example-test-0123456789', OPENAI_BASE_URL: mock.url };
      execFile(process.execPath, [bin, ...args], { cwd: root, env }, (error, out) =>
        resolve({ code: error === null ? 0 : (error.code as number), stdout: out }),
      );
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/A month of 1,000,000 calls/);
    const report = JSON.parse(readFileSync(join(dir, 'example/results.json'), 'utf8')) as EvalReport;
    expect(report.models.map((m) => m.model)).toEqual(['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4o']);
    expect(report.cases).toHaveLength(8);
    expect(new Set(mock.requests.map((r) => r.model))).toEqual(new Set(['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4o']));
  });

  it('loads a TypeScript config under a loader, and says how when there is none', async () => {
    const config = readFileSync(join(dir, 'tiered.config.mjs'), 'utf8').replace(
      'export default {',
      'const catalog: Record<string, unknown> = {',
    );
    writeFileSync(join(dir, 'tiered.config.ts'), `${config}\nexport default catalog;\n`);
    const args = ['eval', '--config', 'tiered.config.ts', '--cases', 'cases.jsonl', '--out', 'out'];
    const without = await run(...args);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/tiered\.config\.ts: is TypeScript, and Node runs no TypeScript loader/);
    expect(without.stderr).toMatch(/node --import tsx/);
    const withLoader = await new Promise<number | null>((resolve) =>
      execFile(process.execPath, ['--import', tsxLoader, bin, ...args], { cwd: dir }, (error) =>
        resolve(error === null ? 0 : (error.code as number)),
      ),
    );
    expect(withLoader).toBe(0);
    expect(results().models.map((m) => m.model)).toEqual(['mini', 'max']);
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await run('eval', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/tiered-llm eval --demo/);
  });
});
