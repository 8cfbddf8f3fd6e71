import { ConfigError } from '../errors/ConfigError.js';

/** A `redis://` or `rediss://` URL, checked, with the secret it carries kept aside for scrubbing. */
export interface RedisUrl {
  readonly href: string;
  /** The password as written and as decoded: never to appear in an error message. */
  readonly secrets: readonly string[];
}

const hint = 'Give a URL like redis://localhost:6379 (rediss:// for TLS) or an ioredis instance.';

/**
 * Checks a Redis URL at construction. Messages never echo the URL: it may carry a password
 * (`redis://:password@host`), and a half-parsed URL cannot be redacted reliably.
 */
export function parseRedisUrl(text: string): RedisUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('redis', 'is not a valid URL', hint);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError('redis', `must use redis:// or rediss://, got '${url.protocol}//'`, hint);
  }
  if (url.hostname === '') throw new ConfigError('redis', 'has no host', hint);
  const secrets = url.password === '' ? [] : [...new Set([url.password, safeDecode(url.password)])];
  return { href: text, secrets };
}

/** Replaces every secret in `message` so that an error can quote what Redis or ioredis said. */
export function scrub(message: string, secrets: readonly string[]): string {
  return secrets.reduce((text, secret) => text.split(secret).join('***'), message);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
