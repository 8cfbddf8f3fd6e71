import { ConfigError } from 'tiered-llm';
import type { EvalCase } from '../EvalCase.js';

/** A compiled JSON Schema: true when valid, else the validator's first error. */
export type SchemaCheck = (value: unknown) => true | string;

interface AjvInstance {
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
}
type AjvClass = new (options: Record<string, unknown>) => AjvInstance;

/**
 * The JSON Schemas of the cases' `jsonSchema` checks, compiled once with ajv before any call. ajv is
 * an optional peer, loaded here only, and only when a case has such a check: without it, the
 * evaluation stops before any call with a `ConfigError` saying how to install it.
 */
export class SchemaChecks {
  private constructor(private readonly byCase: ReadonlyMap<string, SchemaCheck>) {}

  /** @throws ConfigError when ajv is missing or a schema does not compile, naming the case. */
  static async compile(cases: readonly EvalCase[]): Promise<SchemaChecks> {
    const withSchema = cases.filter((c) => c.check?.jsonSchema !== undefined);
    const byCase = new Map<string, SchemaCheck>();
    if (withSchema.length === 0) return new SchemaChecks(byCase);
    const Ajv = await loadAjv(withSchema[0]!);
    // addUsedSchema off: cases copied from one another share a schema's `$id`, which ajv would refuse the second time.
    const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false, addUsedSchema: false });
    for (const c of withSchema) {
      let validate: ReturnType<AjvInstance['compile']>;
      try {
        validate = ajv.compile(c.check!.jsonSchema);
      } catch (error) {
        throw new ConfigError(
          `${c.source}: check.jsonSchema`,
          `is not a valid JSON Schema (${(error as Error).message})`,
          'Fix the schema; it is compiled with ajv (draft-07 by default).',
        );
      }
      byCase.set(c.id, (value) => {
        if (validate(value)) return true;
        const first = validate.errors?.[0];
        return first === undefined ? 'does not match the schema' : `${first.instancePath || '(root)'} ${first.message ?? 'is invalid'}`;
      });
    }
    return new SchemaChecks(byCase);
  }

  /** The compiled schema of a case, if it has one. */
  of(caseId: string): SchemaCheck | undefined {
    return this.byCase.get(caseId);
  }
}

async function loadAjv(first: EvalCase): Promise<AjvClass> {
  try {
    const loaded = (await import('ajv')) as unknown as { default: AjvClass & { default?: AjvClass } };
    return loaded.default.default ?? loaded.default;
  } catch (error) {
    throw new ConfigError(
      `${first.source}: check.jsonSchema`,
      `needs ajv, an optional peer dependency of tiered-llm that is not installed (${(error as Error).message.split('\n')[0]})`,
      'Run npm install ajv, or check the answer with "json": true instead.',
    );
  }
}
