import { inspect } from 'node:util';

/**
 * The credentials of the fuzzed providers. The hostile server echoes whichever of them a request
 * carried; none may come out of the library in any form.
 */
export const secrets = {
  /** API key of `gateway`, a provider the library makes the client of. */
  gatewayKey: 'sk-fuzz-gateway-7c1e5a90d4b3f2a8',
  /** Value of `gateway`'s `x-gateway-key`, given in its `defaultHeaders`. */
  gatewayHeader: 'gw-secret-3f9a1c7e5b2d8046',
  /** API key of `byo`, a bring-your-own `OpenAI` client. */
  byoKey: 'sk-fuzz-byo-0d2b4f6a8c1e3579',
  /** Value of `byo`'s `x-api-key`, given in its client's `defaultHeaders`. */
  byoHeader: 'byo-secret-e4c2a09b7d5f1386',
} as const;

export type Secrets = Readonly<Record<string, string>>;

/** One form in which something leaves the library, e.g. `error.cause.message`, and its text. */
export type Rendering = readonly [where: string, text: string];

/** The names of the secrets found in a text. */
export function secretsIn(text: string, known: Secrets = secrets): string[] {
  return Object.entries(known)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

const inspectOptions = { depth: 10, maxStringLength: Infinity, maxArrayLength: Infinity, breakLength: Infinity } as const;

/** `JSON.stringify` that survives cycles and bigints, as a logger's serializer would. */
export function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, field: unknown) => {
        if (typeof field === 'bigint') return `${field}n`;
        if (typeof field === 'object' && field !== null) {
          if (seen.has(field)) return '[Circular]';
          seen.add(field);
        }
        return field;
      }) ?? ''
    );
  } catch (error) {
    return `[JSON.stringify threw ${String(error)}]`;
  }
}

/**
 * Every string reachable from `value` through own properties (enumerable or not, data properties
 * only: no getter is run), `Headers`, `Map`s and `Set`s: what a debugger or a custom serializer
 * could print.
 */
export function reachableStrings(value: unknown, maxDepth = 12): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown, depth: number): void => {
    if (typeof v === 'string') return void found.push(v);
    if (typeof v !== 'object' || v === null || depth > maxDepth || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Headers) for (const [name, header] of v) found.push(`${name}: ${header}`);
    if (v instanceof Map) for (const [k, item] of v) [k, item].forEach((x) => visit(x, depth + 1));
    if (v instanceof Set) for (const item of v) visit(item, depth + 1);
    for (const key of Reflect.ownKeys(v)) {
      const descriptor = Object.getOwnPropertyDescriptor(v, key);
      if (descriptor !== undefined && 'value' in descriptor) visit(descriptor.value, depth + 1);
    }
  };
  visit(value, 0);
  return found;
}

/** The forms of one value: `util.inspect`, `JSON.stringify`, and every reachable string. */
function valueRenderings(where: string, value: unknown): Rendering[] {
  return [
    [`${where} (inspect)`, inspect(value, inspectOptions)],
    [`${where} (JSON)`, safeJson(value)],
    ...reachableStrings(value).map((text): Rendering => [`${where} (reachable string)`, text]),
  ];
}

/** The forms in which an error leaves a program: message, `String()`, stack, inspect, JSON, and all of these along its `cause` chain. */
export function errorRenderings(where: string, error: unknown): Rendering[] {
  const out: Rendering[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    const at = depth === 0 ? where : `${where}${'.cause'.repeat(depth)}`;
    if (current instanceof Error) {
      out.push([`${at}.message`, current.message], [`${at} (String)`, String(current)], [`${at}.stack`, current.stack ?? '']);
    }
    out.push(...valueRenderings(at, current));
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return out;
}

/** The forms of an event payload. */
export function payloadRenderings(event: string, payload: unknown): Rendering[] {
  return valueRenderings(`event '${event}'`, payload);
}

/** One line per secret found, naming where: `gatewayKey in error.cause.message`. Each place is named once. */
export function leaksIn(renderings: readonly Rendering[], known: Secrets = secrets): string[] {
  const leaks = new Set<string>();
  for (const [where, text] of renderings) for (const name of secretsIn(text, known)) leaks.add(`${name} in ${where}`);
  return [...leaks];
}
