import { describe, expect, it } from 'vitest';
import { SemanticIndex } from './SemanticIndex.js';

const index = (threshold = 0.9, maxEntries = 100) => new SemanticIndex({ maxEntries, threshold });

describe('SemanticIndex', () => {
  it('finds an exact match at similarity 1, whatever the vector’s length, even at threshold 1', () => {
    const semantic = index(1);
    semantic.add('ns', 'a', [3, 4, 0]);
    semantic.add('ns', 'b', [0, 0, 1]);

    const match = semantic.nearest('ns', [0.6, 0.8, 0]);
    expect(match?.key).toBe('a');
    expect(match?.similarity).toBeCloseTo(1, 6);
    expect(match!.similarity).toBeLessThanOrEqual(1);
  });

  it('matches a long vector with itself at threshold 1, float32 rounding notwithstanding', () => {
    // Normalised as float32, this vector's dot product with itself is 0.9999999988.
    const vector = Array.from({ length: 1536 }, (_, i) => Math.sin(2 * i + 1));
    const semantic = index(1);
    semantic.add('ns', 'a', vector);

    expect(semantic.nearest('ns', vector)).toEqual({ key: 'a', similarity: expect.closeTo(1, 6) });
  });

  it('returns the most similar entry among those past the threshold', () => {
    const semantic = index(0.9);
    semantic.add('ns', 'near', [1, 0.3, 0]);
    semantic.add('ns', 'nearer', [1, 0.1, 0]);
    semantic.add('ns', 'far', [0, 1, 0]);

    const match = semantic.nearest('ns', [1, 0, 0]);
    expect(match?.key).toBe('nearer');
    expect(match?.similarity).toBeCloseTo(1 / Math.hypot(1, 0.1), 6);
  });

  it('respects the threshold: a match just below it is none', () => {
    const vector = [1, 1, 0];
    const cosine = 2 / (Math.sqrt(2) * Math.sqrt(3)); // against [1, 1, 1]: 0.8165

    const below = index(0.82);
    below.add('ns', 'a', vector);
    expect(below.nearest('ns', [1, 1, 1])).toBeUndefined();

    const above = index(0.81);
    above.add('ns', 'a', vector);
    expect(above.nearest('ns', [1, 1, 1])?.similarity).toBeCloseTo(cosine, 6);
    expect(above.nearest('ns', [-1, -1, 0])).toBeUndefined();
  });

  it('never returns an entry of one namespace for another', () => {
    const semantic = index();
    semantic.add('tenant-a', 'x', [1, 0]);

    expect(semantic.nearest('tenant-b', [1, 0])).toBeUndefined();
    semantic.add('tenant-b', 'x', [0, 1]);
    expect(semantic.nearest('tenant-b', [1, 0])).toBeUndefined();
    expect(semantic.nearest('tenant-a', [1, 0])?.key).toBe('x');
    expect(semantic.size).toBe(2);
  });

  it('replaces an entry added again under the same key', () => {
    const semantic = index();
    semantic.add('ns', 'a', [1, 0]);
    semantic.add('ns', 'a', [0, 1]);

    expect(semantic.size).toBe(1);
    expect(semantic.nearest('ns', [1, 0])).toBeUndefined();
    expect(semantic.nearest('ns', [0, 1])?.key).toBe('a');
  });

  it('evicts the least recently used entries across namespaces; a match or a re-add counts as a use', () => {
    const semantic = index(0.99, 3);
    semantic.add('one', 'a', [1, 0, 0]);
    semantic.add('two', 'b', [0, 1, 0]);
    semantic.add('one', 'c', [0, 0, 1]);
    semantic.nearest('one', [1, 0, 0]); // a is now the most recent: b is the oldest

    semantic.add('two', 'd', [1, 1, 0]);
    expect(semantic.size).toBe(3);
    expect(semantic.nearest('two', [0, 1, 0])).toBeUndefined();

    semantic.add('one', 'c', [0, 0, 1]); // re-added: a is the oldest now
    semantic.add('one', 'e', [1, 0, 1]);
    expect(semantic.nearest('one', [1, 0, 0])).toBeUndefined();
    expect(semantic.nearest('one', [0, 0, 1])?.key).toBe('c');
    expect(semantic.nearest('two', [1, 1, 0])?.key).toBe('d');
    expect(semantic.nearest('one', [1, 0, 1])?.key).toBe('e');
  });

  it('forgets a deleted entry, and ignores unknown ones', () => {
    const semantic = index();
    semantic.add('ns', 'a', [1, 0]);
    semantic.add('ns', 'b', [0.9, 0.1]);

    semantic.delete('ns', 'a');
    semantic.delete('ns', 'missing');
    semantic.delete('elsewhere', 'b');

    expect(semantic.size).toBe(1);
    expect(semantic.nearest('ns', [1, 0])?.key).toBe('b');
  });

  it('never matches a zero vector, nor stores one', () => {
    const semantic = index(0.1);
    semantic.add('ns', 'a', [1, 0]);
    expect(semantic.nearest('ns', [0, 0])).toBeUndefined();

    semantic.add('ns', 'a', [0, 0]); // replaces: the old vector goes, nothing is stored
    semantic.add('ns', 'nan', [Number.NaN, 1]);
    expect(semantic.size).toBe(0);
    expect(semantic.nearest('ns', [1, 0])).toBeUndefined();
  });

  it('finds nothing for a query of another length, and refuses to add one while the namespace holds vectors', () => {
    const semantic = index();
    semantic.add('ns', 'a', new Float32Array([1, 0, 0]));

    expect(semantic.nearest('ns', [1, 0])).toBeUndefined();
    expect(() => semantic.add('ns', 'b', [1, 0])).toThrow(
      new TypeError("embedding has 2 dimensions, but namespace 'ns' holds vectors of 3"),
    );
    expect(() => semantic.add('ns', 'a', [1, 0])).toThrow(TypeError);
    expect(semantic.nearest('ns', [1, 0, 0])?.key).toBe('a');

    semantic.add('other', 'b', [1, 0]); // another namespace has its own length
    semantic.delete('ns', 'a'); // an emptied namespace starts over
    semantic.add('ns', 'c', [1, 0]);
    expect(semantic.nearest('ns', [1, 0])?.key).toBe('c');
  });

  it('validates its options with errors naming them', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, Infinity]) {
      expect(() => new SemanticIndex({ maxEntries, threshold: 0.9 })).toThrow(/^maxEntries must be a positive integer/);
    }
    for (const threshold of [0, -0.5, 1.01, Number.NaN]) {
      expect(() => new SemanticIndex({ maxEntries: 1, threshold })).toThrow(/^threshold must be a number in \(0, 1\]/);
    }
    expect(() => new SemanticIndex({ maxEntries: 1, threshold: 1 })).not.toThrow();
  });
});
