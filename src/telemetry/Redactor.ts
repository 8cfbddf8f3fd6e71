const replacement = '[redacted]';

/** Error texts taken from a provider's body (a proxy's 28 KB HTML page) are cut to this many characters. */
export const maxErrorTextLength = 1_000;

/** Fields whose text came from a provider's body and may be of any length: cut, not only scrubbed. */
const bodyTextKeys = new Set(['message', 'error']);

/**
 * The one scrubber for everything that leaves the package: removes every provider's API key and
 * every secret header value from texts, and from errors in place (messages, stacks, `cause` chains,
 * `openai`'s `APIError.error` body and `.headers`, our errors' `attempts`), so that the thrown error,
 * its `toJSON()` and `util.inspect` forms and every event payload holding it are clean. Some
 * providers echo the key they were sent in their error messages, bodies and stream events.
 */
export class Redactor {
  private readonly secrets: readonly string[];

  constructor(secrets: Iterable<string>) {
    // Longest first, so that a key containing another is removed whole. Shorter values are too
    // likely to be ordinary words to be scrubbed from text.
    this.secrets = [...new Set(secrets)].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length);
  }

  /** `text` without any secret. */
  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(replacement);
    return out;
  }

  /** An error text for an event or a message: without any secret, and at most {@link maxErrorTextLength} characters. */
  message(text: string): string {
    return cut(this.text(text));
  }

  /**
   * Scrubs an error in place and returns it: every string property of the error and, recursively,
   * of what it holds (its body, its attempts, its cause chain), and its headers' values. Messages
   * and body texts are also cut to {@link maxErrorTextLength}. Only failures pay for this, and an
   * error already scrubbed costs a walk, nothing more.
   */
  error<E>(error: E): E {
    this.scrub(error);
    return error;
  }

  /**
   * Walks everything reachable from `root` once (a provider's body may nest as deep as it likes, so
   * no depth limit and no recursion), scrubbing strings and headers in place.
   */
  private scrub(root: unknown): void {
    const seen = new Set<object>();
    const pending: unknown[] = [root];
    while (pending.length > 0) {
      const value = pending.pop();
      if (typeof value !== 'object' || value === null || seen.has(value)) continue;
      seen.add(value);
      if (value instanceof Error) this.scrubMessage(value);
      const record = value as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(value)) {
        const descriptor = Object.getOwnPropertyDescriptor(value, name);
        if (descriptor === undefined || !('value' in descriptor) || name === 'stack') continue;
        // A body may echo a key as a property name: it moves to a scrubbed name.
        let key = name;
        const cleanName = this.text(name);
        if (cleanName !== name && descriptor.configurable) {
          delete record[name];
          Object.defineProperty(value, cleanName, descriptor);
          key = cleanName;
        }
        const field = descriptor.value as unknown;
        if (typeof field === 'string') {
          const clean = bodyTextKeys.has(key) ? this.message(field) : this.text(field);
          if (clean !== field && descriptor.writable) record[key] = clean;
        } else if (field instanceof Headers) {
          const clean = this.headers(field);
          if (clean !== field && descriptor.writable) record[key] = clean;
        } else if (typeof field === 'object' && field !== null) {
          pending.push(field);
        }
      }
    }
  }

  /** The message and the stack (which repeats the message) of an error. */
  private scrubMessage(error: Error): void {
    const descriptor = Object.getOwnPropertyDescriptor(error, 'message');
    const message = typeof descriptor?.value === 'string' ? descriptor.value : undefined;
    const clean = message === undefined ? undefined : this.message(message);
    if (message !== undefined && clean !== message && descriptor?.writable === true) error.message = clean!;
    const stack = Object.getOwnPropertyDescriptor(error, 'stack');
    if (typeof stack?.value !== 'string' || stack.writable !== true) return;
    let text = stack.value;
    if (message !== undefined && clean !== message) text = text.split(message).join(clean!);
    const scrubbed = this.text(text);
    if (scrubbed !== stack.value) error.stack = scrubbed;
  }

  /** Headers without secret values: the same object when clean, else a scrubbed copy (a response's headers may be immutable). */
  private headers(headers: Headers): Headers {
    let copy: Headers | undefined;
    for (const [name, value] of headers) {
      // A hostile provider may echo a key in a header's name too, which Headers lowercases.
      const cleanName = this.headerName(name);
      const clean = this.text(value);
      if (cleanName === name && clean === value) continue;
      copy ??= new Headers(headers);
      if (cleanName !== name) copy.delete(name);
      copy.set(cleanName, clean);
    }
    return copy ?? headers;
  }

  private headerName(name: string): string {
    let out = name;
    for (const secret of this.secrets) {
      const lower = secret.toLowerCase();
      if (out.includes(lower)) out = out.split(lower).join('redacted');
    }
    return out;
  }
}

/** At most {@link maxErrorTextLength} characters, the cut said; a text cut once is not cut again. */
function cut(text: string): string {
  if (text.length <= maxErrorTextLength) return text;
  const note = `… (cut from ${text.length} characters)`;
  return text.slice(0, maxErrorTextLength - note.length) + note;
}

/** Header names whose values are credentials: a gateway's `api-key`, `x-...-token`, a cookie. */
const secretHeader = /auth|key|token|secret|cookie|password|credential|signature|session/i;

/**
 * The secrets of one provider: its API key and, for headers, every value of a client we make (we
 * cannot tell which are keys) but only the secret-looking ones of a client the application brings,
 * read from the options it was made with. `Bearer x` also yields `x`.
 */
export function secretsOf(apiKey: unknown, headers: unknown, everyHeader: boolean): string[] {
  const found: string[] = [];
  if (typeof apiKey === 'string') found.push(apiKey);
  for (const [name, value] of headerEntries(headers)) {
    if (!everyHeader && !secretHeader.test(name)) continue;
    found.push(value);
    const token = /^\s*(?:bearer|basic|token)\s+(\S+)\s*$/i.exec(value)?.[1];
    if (token !== undefined) found.push(token);
  }
  return found;
}

/** The entries of anything `openai` takes as headers: a record, a `Headers`, or a list of pairs. */
function headerEntries(headers: unknown): [string, string][] {
  if (headers === undefined || headers === null || typeof headers !== 'object') return [];
  if (headers instanceof Headers) return [...headers];
  const pairs: [string, string][] = [];
  const entries = Array.isArray(headers) ? (headers as unknown[]) : Object.entries(headers);
  for (const entry of entries) {
    if (!Array.isArray(entry)) continue;
    const [name, value] = entry as [unknown, unknown];
    for (const one of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof name === 'string' && typeof one === 'string') pairs.push([name, one]);
    }
  }
  return pairs;
}
