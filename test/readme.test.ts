import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
// The guides the README links to for the long version: checked the same way, so they never rot either.
const guides = readdirSync(join(root, 'docs/guide'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ name: `docs/guide/${name}`, text: readFileSync(join(root, 'docs/guide', name), 'utf8') }));
const documents = [{ name: 'README.md', text: readme }, ...guides];

/** Every fenced block of the README, with the README line its code starts on. */
function fencedBlocks(markdown: string, file = 'README.md'): { lang: string; code: string; line: number; file: string }[] {
  const blocks: { lang: string; code: string; line: number; file: string }[] = [];
  for (const match of markdown.matchAll(/^```(\S*)\n([\s\S]*?)^```$/gm)) {
    const line = markdown.slice(0, match.index).split('\n').length + 1;
    blocks.push({ lang: match[1]!, code: match[2]!, line, file });
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
    { id: 'text-embedding-3-small', provider: 'openai', tier: 'economy', inputCostPerMTok: 0.02, contextWindow: 8_191, capabilities: ['embeddings'] },
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
function typeErrors(blocks: { code: string; line: number; file?: string }[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  // A snippet may show a value without using it.
  const options = { ...config.options, noUnusedLocals: false, noUnusedParameters: false };
  const files = new Map<string, string>([[join(root, 'test/readme.prelude.ts'), prelude]]);
  const lineOf = new Map<string, string>();
  blocks.forEach((block, i) => {
    const name = join(root, `test/readme.block${i}.ts`);
    files.set(name, `${block.code}\nexport {};\n`);
    lineOf.set(name, `${block.file ?? 'README.md'}:${block.line}`);
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
      const at = lineOf.get(d.file!.fileName);
      const where = at === undefined ? 'the prelude' : at.replace(/\d+$/, (start) => String(Number(start) + line));
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe('README.md and the guides in docs/guide', () => {
  const blocks = documents.flatMap((document) => fencedBlocks(document.text, document.name));

  it('marks every code block as ts, sh or text, so that none escapes the type check unnoticed', () => {
    expect(
      blocks.filter((block) => !['ts', 'sh', 'text'].includes(block.lang)).map((block) => `${block.file}:${block.line}: '${block.lang}'`),
    ).toEqual([]);
  });

  it('has TypeScript blocks that compile against the public API', () => {
    const code = blocks.filter((block) => block.lang === 'ts');
    expect(code.length).toBeGreaterThanOrEqual(10);
    expect(typeErrors(code)).toEqual([]);
  }, 120_000);

  it('links only to files that exist (the generated reference included)', () => {
    const links = documents.flatMap(({ name, text }) =>
      [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
        .map((match) => match[1]!)
        .filter((link) => !/^[a-z]+:/.test(link))
        .map((link) => ({ name, link, path: join(root, dirname(name), link) })),
    );
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter(({ path }) => !existsSync(path)).map(({ name, link }) => `${name}: ${link}`)).toEqual([]);
  });

  it('fails on a block that does not compile: the check can fail', () => {
    const errors = typeErrors([{ code: "client.tieredChat({ model: 'hott', messages });", line: 1 }]);
    expect(errors).toEqual([expect.stringMatching(/^README\.md:1: [\s\S]*"hott"/)]);
  }, 120_000);
});
