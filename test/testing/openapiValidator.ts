import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * The component schemas of OpenAI's official OpenAPI description that the conformance test needs,
 * trimmed from it by openapi/trim.ts (the file names the upstream commit): the repository carries
 * them, so a clone tests on its own.
 */
export const SCHEMAS_PATH = fileURLToPath(new URL('./openapi/openai-chat-schemas.json', import.meta.url));

const BASE_ID = 'https://openai-openapi.invalid/openapi.json';

/** Validates a value against one of the description's component schemas. */
export type SchemaValidator = (schemaName: string, value: unknown) => { valid: boolean; errors: string[] };

/**
 * Loads the trimmed schemas and registers them with ajv. The description declares OpenAPI 3.1 but
 * still uses the 3.0 keyword `nullable`, which JSON Schema does not know: left alone, ajv would
 * silently ignore it and reject every `null` those schemas allow, so it is rewritten first. Its
 * OpenAPI `discriminator`s are rewritten too (see `rewriteDiscriminatedOneOf`).
 */
export function loadOpenApiValidator(): SchemaValidator {
  const document = JSON.parse(readFileSync(SCHEMAS_PATH, 'utf8')) as { components?: { schemas?: Record<string, unknown> } };
  const schemas = document.components?.schemas;
  if (schemas === undefined) throw new Error(`${SCHEMAS_PATH} has no components.schemas`);

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its plugin is the `default` of the default import.
  addFormatsModule.default(ajv);
  // OpenAI's own format for Unix timestamps in seconds.
  ajv.addFormat('unixtime', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addSchema({ $id: BASE_ID, components: { schemas: rewriteDiscriminatedOneOf(rewriteNullable(schemas)) } });

  return (schemaName, value) => {
    const validate = ajv.getSchema(`${BASE_ID}#/components/schemas/${schemaName}`);
    // An unknown name must fail the test that asked, never pass it unchecked.
    if (validate === undefined) {
      throw new Error(`No schema named ${schemaName} in ${SCHEMAS_PATH}: add it to ROOTS in openapi/trim.ts and run that again`);
    }
    const valid = validate(value) === true;
    return { valid, errors: (validate.errors ?? []).map(describeError) };
  };
}

// Keys whose values are data, not schemas: a `nullable` inside them is not the keyword.
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const', 'x-oaiMeta']);

/**
 * Rewrites every `nullable: true` into `anyOf: [<the schema without it>, { type: 'null' }]`,
 * which covers the cases a type union would miss: no `type` at all, an `enum` (that would need
 * `null` added), or a `$ref` sibling.
 */
export function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (typeof node !== 'object' || node === null) return node;
  const schema: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' && typeof value === 'boolean') continue;
    schema[key] = DATA_KEYS.has(key) ? value : rewriteNullable(value);
  }
  return (node as { nullable?: unknown }).nullable === true ? { anyOf: [schema, { type: 'null' }] } : schema;
}

/**
 * Reads a `oneOf` that carries an OpenAPI `discriminator` as `anyOf`. The discriminator picks the
 * branch by the `type` tag, which JSON Schema cannot do: a value valid under two branches fails
 * `oneOf` although the API accepts it. The Responses `InputItem` is one: a message item
 * `{ role, content: [parts] }` matches both `EasyInputMessage` and `Item`'s `InputMessage`, so
 * `oneOf` would refuse what openai's own client sends. `anyOf` still wants one branch to match.
 */
export function rewriteDiscriminatedOneOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteDiscriminatedOneOf);
  if (typeof node !== 'object' || node === null) return node;
  const discriminated = 'discriminator' in node && 'oneOf' in node;
  const schema: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const name = discriminated && key === 'oneOf' ? 'anyOf' : key;
    schema[name] = DATA_KEYS.has(key) ? value : rewriteDiscriminatedOneOf(value);
  }
  return schema;
}

function describeError(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? error.keyword} (${error.schemaPath})`;
}
