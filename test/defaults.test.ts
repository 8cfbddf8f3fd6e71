import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { defaults } from '../src/client/defaults.js';
import { ConfigError, createTieredClient, defineCatalog, type TieredClientOptions } from '../src/index.js';

const optionsFile = fileURLToPath(new URL('../src/client/options.ts', import.meta.url));

/** What the doc comments of `TieredClientOptions` (and the option types it references) say of defaults. */
interface Documented {
  /** Option path to the value of a literal `@default`, e.g. `retry.retries` to 2. */
  readonly values: Record<string, unknown>;
  /** Option paths whose `@default` is words (`the first model of the cheapest tier`). */
  readonly inWords: string[];
}

// A literal at the start of the tag's text, before any words that explain it: `67108864 (64 MiB)`.
const literal = /^(?:(-?[\d_]+(?:\.\d+)?)|'([^']*)'|(true|false))(?=\s|$)/;

function readDocumentedDefaults(): Documented {
  const config = ts.getParsedCommandLineOfConfigFile(
    fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => expect.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) },
  )!;
  const program = ts.createProgram([optionsFile], config.options);
  const checker = program.getTypeChecker();
  const declaration = program
    .getSourceFile(optionsFile)!
    .statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'TieredClientOptions')!;
  const documented: Documented = { values: {}, inWords: [] };
  walk(checker, checker.getTypeAtLocation(declaration.name), '', documented);
  return documented;
}

function walk(checker: ts.TypeChecker, type: ts.Type, prefix: string, into: Documented): void {
  for (const property of checker.getPropertiesOfType(type)) {
    const path = prefix + property.name;
    const tag = property.getJsDocTags(checker).find((t) => t.name === 'default');
    if (tag !== undefined) {
      const text = ts.displayPartsToString(tag.text).trim();
      const match = literal.exec(text);
      if (match === null) into.inWords.push(path);
      else into.values[path] = match[1] !== undefined ? Number(match[1].replaceAll('_', '')) : (match[2] ?? match[3] === 'true');
    }
    const section = optionSection(checker, checker.getTypeOfSymbol(property));
    if (section !== undefined) walk(checker, section, `${path}.`, into);
  }
}

/** The options object a property holds (`retry`, `cache`: `CacheOptions | false`...), if it holds one of ours. */
function optionSection(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
  const members = (type.isUnion() ? type.types : [type]).filter(
    (t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.BooleanLiteral)) === 0,
  );
  if (members.length !== 1) return undefined;
  const [member] = members as [ts.Type];
  const ours = (t: ts.Type) => t.getSymbol()?.declarations?.some((d) => d.getSourceFile().fileName.includes('/src/')) === true;
  const isObject = (member.flags & ts.TypeFlags.Object) !== 0 || member.isIntersection();
  const parts = member.isIntersection() ? member.types : [member];
  if (!isObject || member.getCallSignatures().length > 0 || !parts.some(ours)) return undefined;
  return checker.getPropertiesOfType(member).length > 0 ? member : undefined;
}

function flatten(table: object, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'object' && value !== null) Object.assign(out, flatten(value, `${prefix}${key}.`));
    else out[prefix + key] = value;
  }
  return out;
}

// Never called: every client below fails at construction.
const catalog = defineCatalog({
  providers: { only: { apiKey: 'sk-test-defaults', baseURL: 'http://127.0.0.1:9/v1' } },
  tiers: ['economy'],
  models: [
    { id: 'mini', provider: 'only', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
    { id: 'e', provider: 'only', tier: 'economy', inputCostPerMTok: 0.02, contextWindow: 8_191, capabilities: ['embeddings'] },
  ],
});

/** Options that set one field (`cache.semantic.threshold`), with what its sections need besides. */
function setting(path: string, value: unknown): Record<string, unknown> {
  const needs: Record<string, object> = {
    budget: { limitUsd: 1, windowMs: 1_000 },
    semantic: { embeddingModel: 'e' },
    shadow: { sampleRate: 0, model: 'mini' },
    quality: { minScore: 0.5 },
  };
  const keys = path.split('.');
  const field = keys.pop()!;
  return keys.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: { ...needs[key], ...inner } }), { [field]: value });
}

describe('the table of option defaults', () => {
  const documented = readDocumentedDefaults();

  it('has the value of every @default written as a literal in the option docs, and no value the docs do not give', () => {
    expect(documented.values).toEqual(flatten(defaults));
  });

  it('has no value for an option whose @default is said in words (it depends on the catalog, or is an object)', () => {
    const table = flatten(defaults);
    // A section (`retry`) may say "each field's default" in words: its fields are checked one by one above.
    const inTable = documented.inWords.filter((path) => Object.hasOwn(table, path));

    expect(documented.inWords).toContain('classifier.model');
    expect(inTable).toEqual([]);
  });

  // The resolvers take their defaults from the table: the hint of a bad value names the one they fall back on.
  it.each(Object.entries(flatten(defaults)).filter(([, value]) => typeof value === 'number'))(
    'is what the client falls back on for %s = %s',
    (path, value) => {
      const make = () => createTieredClient({ catalog, ...setting(path, -1) } as TieredClientOptions);

      expect(make).toThrow(ConfigError);
      expect(make).toThrow(expect.objectContaining({ field: path, hint: `Omit it for the default (${String(value)}).` }));
    },
  );

  it('cannot be changed by a resolver', () => {
    expect(Object.isFrozen(defaults)).toBe(true);
    expect(Object.isFrozen(defaults.cache.semantic)).toBe(true);
  });
});
