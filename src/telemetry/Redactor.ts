const replacement = '[redacted]';

/**
 * Removes the providers' API keys from any text or error before it leaves the package, as a last
 * line of defence: some providers echo the key they were sent in their error messages or bodies.
 */
export class Redactor {
  private readonly secrets: readonly string[];

  constructor(secrets: Iterable<string>) {
    // Longest first, so that a key containing another is removed whole.
    this.secrets = [...new Set(secrets)].filter((s) => s.length >= 8).sort((a, b) => b.length - a.length);
  }

  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(replacement);
    return out;
  }

  /**
   * Scrubs an error in place and returns it: every string property of the error and, recursively,
   * of its body (`openai` errors keep the provider's `error` object), its headers' values, and its
   * cause chain. Only failures pay for this.
   */
  error<E>(error: E): E {
    if (this.secrets.length > 0) this.scrub(error, 0, new Set());
    return error;
  }

  private scrub(value: unknown, depth: number, seen: Set<object>): void {
    if (typeof value !== 'object' || value === null || depth > 6 || seen.has(value)) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !('value' in descriptor)) continue;
      const field = descriptor.value as unknown;
      if (typeof field === 'string') {
        const clean = this.text(field);
        if (clean !== field && descriptor.writable) record[key] = clean;
      } else if (field instanceof Headers) {
        for (const [name, header] of field) if (this.text(header) !== header) field.set(name, this.text(header));
      } else {
        this.scrub(field, depth + 1, seen);
      }
    }
  }
}
