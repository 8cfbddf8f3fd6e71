import { describe, expect, it } from 'vitest';
import { cacheKey } from './cacheKey.js';

describe('cacheKey', () => {
  it('ignores property order and undefined fields, as JSON would', () => {
    expect(cacheKey('n', 'm', { a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      cacheKey('n', 'm', { b: { d: 'x', c: [1, 2], e: undefined }, a: 1 }),
    );
  });

  it('keeps the namespace and the model field apart, whatever they contain', () => {
    expect(cacheKey('a\0b', 'c', {})).not.toBe(cacheKey('a', 'b\0c', {}));
    expect(cacheKey('a:', 'b', {})).not.toBe(cacheKey('a', ':b', {}));
  });

  it('reads values as they are sent: toJSON, and undefined in arrays as null', () => {
    expect(cacheKey('n', 'm', { at: new Date(0) })).not.toBe(cacheKey('n', 'm', { at: new Date(1e12) }));
    expect(cacheKey('n', 'm', { at: new Date(0) })).toBe(cacheKey('n', 'm', { at: new Date(0).toISOString() }));
    expect(cacheKey('n', 'm', { list: [undefined] })).toBe(cacheKey('n', 'm', { list: [null] }));
  });

  it('does not let stream, stream_options or user split entries', () => {
    const base = cacheKey('n', 'm', { messages: [] });
    expect(
      cacheKey('n', 'm', { messages: [], stream: true, stream_options: { include_usage: true }, user: 'u', metadata: { a: '1' } }),
    ).toBe(base);
  });

  it('is a 43-character base64url hash, the same for a 100 KB prompt however it is chunked', () => {
    const long = 'y'.repeat(100 * 1024);
    const key = cacheKey('n', 'm', { messages: [{ role: 'user', content: long }] });
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cacheKey('n', 'm', { messages: [{ content: long, role: 'user' }] })).toBe(key);
  });
});
