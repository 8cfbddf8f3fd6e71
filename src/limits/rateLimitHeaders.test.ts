import { describe, expect, it } from 'vitest';
import { parseRateLimitReset } from './rateLimitHeaders.js';

describe('parseRateLimitReset', () => {
  const now = 1_800_000_000_000;

  it.each([
    ['1s', 1_000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0.5s', 500],
    ['150us', 1],
    [' 2s ', 2_000],
    ['0s', 0],
    ['30', 30_000],
    ['0.25', 250],
    ['1800000012', 12_000],
  ])("reads '%s' as %i ms", (text, ms) => {
    expect(parseRateLimitReset(text, now)).toBe(ms);
  });

  it.each(['', 'soon', '-1s', '1x', '1.2.3s', 's', '1s garbage', 'NaN', 'Infinity', '1e3'])("ignores '%s'", (text) => {
    expect(parseRateLimitReset(text, now)).toBeUndefined();
  });
});
