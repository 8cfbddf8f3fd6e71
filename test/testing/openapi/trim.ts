/**
 * Writes openai-chat-schemas.json beside this file: the component schemas of OpenAI's OpenAPI
 * description that openapiConformance.test.ts validates against, and every schema they reference,
 * so that a clone tests on its own instead of needing the 3 MB description checked out beside it.
 * Run it by hand when the description moves on (or a test needs another schema: add it to ROOTS):
 *
 *   npx tsx test/testing/openapi/trim.ts [path/to/openapi.yaml] [--check]
 *
 * The description defaults to ../shared/openai-openapi/openapi.yaml beside the repository, with a
 * SOURCE.txt next to it naming its repository and commit. Schemas are copied as they are (the
 * validator rewrites `nullable` when it loads them), in the description's order. The date of
 * trimming is kept when nothing else changed, so a second run reproduces the file byte for byte;
 * `--check` only says whether a run would change it (and exits 1 if so).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';

/** The schemas the conformance test names; the file holds these and their $ref closure. */
const ROOTS = [
  'CreateChatCompletionRequest',
  'CreateChatCompletionResponse',
  'CreateChatCompletionStreamResponse',
  'CreateEmbeddingRequest',
  'CreateEmbeddingResponse',
  'ErrorResponse',
  'ListModelsResponse',
  'CreateResponse',
  'Response',
  'ResponseStreamEvent',
];

const REF_PREFIX = '#/components/schemas/';
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const output = join(here, 'openai-chat-schemas.json');

const args = process.argv.slice(2);
const check = args.includes('--check');
const input = args.find((arg) => !arg.startsWith('--')) ?? join(root, '../shared/openai-openapi/openapi.yaml');
const sourceNote = join(dirname(input), 'SOURCE.txt');

if (!existsSync(input)) throw new Error(`${input} not found: pass the path to openai/openai-openapi's openapi.yaml`);
// Without it the file could not say which version it was cut from.
if (!existsSync(sourceNote)) throw new Error(`${sourceNote} not found: it names the upstream repository and commit`);

const document = parse(readFileSync(input, 'utf8'), { maxAliasCount: -1 }) as { components?: { schemas?: Record<string, unknown> } };
const schemas = document.components?.schemas;
if (schemas === undefined) throw new Error(`${input} has no components.schemas`);

const all = schemas;
const kept = closure(ROOTS, all);
const existing = existsSync(output) ? readFileSync(output, 'utf8') : undefined;
const previousDate = existing === undefined ? undefined : (JSON.parse(existing) as { trimmed?: unknown }).trimmed;
const unchanged = typeof previousDate === 'string' && existing === (await render(previousDate));
const name = relative(root, output);

if (check) {
  process.stdout.write(
    unchanged ? `${name} is up to date\n` : `${name} is out of date: run npx tsx ${relative(root, fileURLToPath(import.meta.url))}\n`,
  );
  process.exitCode = unchanged ? 0 : 1;
} else if (unchanged) {
  process.stdout.write(`${name} is up to date (${kept.length} schemas)\n`);
} else {
  writeFileSync(output, await render(new Date().toISOString().slice(0, 10)));
  process.stdout.write(`wrote ${name}: ${kept.length} of ${Object.keys(schemas).length} schemas\n`);
}

/** The file's text for a date of trimming, formatted as prettier would, so `prettier --check` leaves it be. */
async function render(trimmed: string): Promise<string> {
  const content = {
    // SOURCE.txt reads 'source: github <owner>/<repo> commit <sha> (<branch>), file <name>'.
    source: readFileSync(sourceNote, 'utf8')
      .trim()
      .replace(/^source:\s*/, ''),
    trimmed,
    trimmedBy: `${relative(root, fileURLToPath(import.meta.url))}: the schemas named in roots and every schema they reference`,
    roots: ROOTS,
    components: { schemas: Object.fromEntries(kept.map((key) => [key, all[key]])) },
  };
  const options = await resolveConfig(output);
  return format(JSON.stringify(content), { ...options, filepath: output });
}

/** The roots and every schema reachable from them by $ref, in the description's order. */
function closure(roots: readonly string[], all: Record<string, unknown>): string[] {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    if (!(next in all)) throw new Error(`no schema named ${next} in ${input}`);
    seen.add(next);
    pending.push(...refsIn(all[next]));
  }
  return Object.keys(all).filter((key) => seen.has(key));
}

/** Names of the schemas a node references; a $ref anywhere else would leave the copy incomplete. */
function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key !== '$ref' || typeof value !== 'string') return refsIn(value);
    if (!value.startsWith(REF_PREFIX)) throw new Error(`a $ref outside ${REF_PREFIX}: ${value}`);
    return [decodeURIComponent(value.slice(REF_PREFIX.length))];
  });
}
