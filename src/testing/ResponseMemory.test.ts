import { describe, expect, it } from 'vitest';
import { ResponseMemory } from './ResponseMemory.js';

describe('ResponseMemory', () => {
  it('forgets the oldest ids past its bound, and only those', () => {
    const memory = new ResponseMemory(3);
    for (const id of ['a', 'b', 'c', 'd']) memory.remember(id);

    expect(['a', 'b', 'c', 'd'].map((id) => memory.has(id))).toEqual([false, true, true, true]);
  });
});
