import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/**
 * The official OpenAPI description, checked out beside the repository (`<repo>/../shared/`), as
 * CI does. From test/testing/, three levels up is the repository's parent.
 */
export const OPENAPI_PATH = fileURLToPath(new URL('../../../shared/openai-openapi/openapi.yaml', import.meta.url));

const BASE_ID = 'https://openai-openapi.invalid/openapi.json';

/** Validates a value against one of the description's component schemas. */
export type SchemaValidator = (schemaName: string, value: unknown) => { valid: boolean; errors: string[] };

/**
 * Loads the description and registers its component schemas with ajv. The file declares OpenAPI
 * 3.1 but still uses the 3.0 keyword `nullable`, which JSON Schema does not know: left alone, ajv
 * would silently ignore it and reject every `null` those schemas allow, so it is rewritten first.
 */
export function loadOpenApiValidator(): SchemaValidator {
  if (!existsSync(OPENAPI_PATH)) {
    throw new Error(
      `OpenAPI description not found at ${OPENAPI_PATH}. Check out openai/openai-openapi so that ` +
        'shared/openai-openapi/openapi.yaml sits beside the repository folder.',
    );
  }
  const document = parse(readFileSync(OPENAPI_PATH, 'utf8'), { maxAliasCount: -1 }) as {
    components?: { schemas?: Record<string, unknown> };
  };
  const schemas = document.components?.schemas;
  if (schemas === undefined) throw new Error(`${OPENAPI_PATH} has no components.schemas`);

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its plugin is the `default` of the default import.
  addFormatsModule.default(ajv);
  // OpenAI's own format for Unix timestamps in seconds.
  ajv.addFormat('unixtime', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addSchema({ $id: BASE_ID, components: { schemas: rewriteNullable(schemas) } });

  return (schemaName, value) => {
    const validate = ajv.getSchema(`${BASE_ID}#/components/schemas/${schemaName}`);
    if (validate === undefined) throw new Error(`No schema named ${schemaName} in ${OPENAPI_PATH}`);
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

function describeError(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? error.keyword} (${error.schemaPath})`;
}
