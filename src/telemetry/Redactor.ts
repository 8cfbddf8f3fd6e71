import { APIError } from 'openai';

const replacement = '[redacted]';

/**
 * Removes the providers' API keys from any text or error before it leaves the package, as a last
 * line of defence: some providers echo the key they were sent in their error messages.
 */
export class Redactor {
  private readonly secrets: readonly string[];

  constructor(secrets: Iterable<string>) {
    // Longest first, so that a key containing another is removed whole.
    this.secrets = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  }

  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(replacement);
    return out;
  }

  /** Scrubs an error's message (and an `openai` error's body) in place, and returns it. */
  error<E>(error: E): E {
    if (!(error instanceof Error) || this.secrets.length === 0) return error;
    error.message = this.text(error.message);
    if (error.stack !== undefined) error.stack = this.text(error.stack);
    if (error instanceof APIError && typeof error.error === 'object' && error.error !== null) {
      const body = error.error as Record<string, unknown>;
      if (typeof body.message === 'string') body.message = this.text(body.message);
    }
    return error;
  }
}
