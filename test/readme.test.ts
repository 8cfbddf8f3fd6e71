import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Every fenced block of the README, with the README line its code starts on. */
function fencedBlocks(markdown: string): { lang: string; code: string; line: number }[] {
  const blocks: { lang: string; code: string; line: number }[] = [];
  for (const match of markdown.matchAll(/^```(\S*)\n([\s\S]*?)^```$/gm)) {
    const line = markdown.slice(0, match.index).split('\n').length + 1;
    blocks.push({ lang: match[1]!, code: match[2]!, line });
  }
  return blocks;
}

// What the README's fragments take as given, as if they followed the quick start: its two imports,
// the guide's catalog, a client on it, and a conversation. Declared global, so that a block that
// declares or imports one of them itself shadows it.
const prelude = `
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { createTieredClient as create, defineCatalog as define, type TieredClient } from 'tiered-llm';
const guideCatalog = define({
  providers: { openai: { apiKey: 'sk-readme' }, global: { baseURL: 'https://example.test/v1', apiKey: 'sk-readme' } },
  tiers: ['economy', 'warm', 'hot'],
  models: [
    { id: 'gpt-4o-mini', provider: 'openai', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
    { id: 'deepseek-ai/DeepSeek-V4-Pro', provider: 'global', tier: 'warm', inputCostPerMTok: 0.55, outputCostPerMTok: 2.2, contextWindow: 200_000 },
    { id: 'gpt-4o', provider: 'openai', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
  ],
});
declare global {
  var createTieredClient: typeof create;
  var defineCatalog: typeof define;
  var catalog: typeof guideCatalog;
  var client: TieredClient<typeof guideCatalog>;
  var messages: ChatCompletionMessageParam[];
}
`;

/** Type-checks each TypeScript block as a module of its own, against the sources, with the project's compiler options. */
function typeErrors(blocks: { code: string; line: number }[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  // A snippet may show a value without using it.
  const options = { ...config.options, noUnusedLocals: false, noUnusedParameters: false };
  const files = new Map<string, string>([[join(root, 'test/readme.prelude.ts'), prelude]]);
  const lineOf = new Map<string, number>();
  blocks.forEach((block, i) => {
    const name = join(root, `test/readme.block${i}.ts`);
    files.set(name, `${block.code}\nexport {};\n`);
    lineOf.set(name, block.line);
  });
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.getSourceFile = (name, version, ...rest) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile(name, version, ...rest) : ts.createSourceFile(name, text, version, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.has(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const where = lineOf.has(d.file!.fileName) ? `README.md:${lineOf.get(d.file!.fileName)! + line}` : 'the prelude';
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe('README.md', () => {
  const blocks = fencedBlocks(readme);

  it('marks every code block as ts, sh or text, so that none escapes the type check unnoticed', () => {
    expect(
      blocks.filter((block) => !['ts', 'sh', 'text'].includes(block.lang)).map((block) => `line ${block.line}: '${block.lang}'`),
    ).toEqual([]);
  });

  it('has TypeScript blocks that compile against the public API', () => {
    const code = blocks.filter((block) => block.lang === 'ts');
    expect(code.length).toBeGreaterThanOrEqual(10);
    expect(typeErrors(code)).toEqual([]);
  }, 120_000);

  it('links only to files that exist (the generated reference included)', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!).filter((link) => !/^[a-z]+:/.test(link));
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((link) => !existsSync(join(root, link)))).toEqual([]);
  });

  it('fails on a block that does not compile: the check can fail', () => {
    const errors = typeErrors([{ code: "client.tieredChat({ model: 'hott', messages });", line: 1 }]);
    expect(errors).toEqual([expect.stringMatching(/^README\.md:1: [\s\S]*"hott"/)]);
  }, 120_000);
});
