import { describe, expect, it } from 'vitest';
import { escapeHtml, formatMs, formatPercent, formatUsd } from './format.js';

describe('the report formats', () => {
  it('shows small costs with the digits that matter, and cents from a dollar up', () => {
    expect([0.000123, 0.0000042, 0.0046, 0.5, 0.1, 0, 1234.5, -0.0217, null].map(formatUsd)).toEqual([
      '$0.000123',
      '$0.0000042',
      '$0.0046',
      '$0.50',
      '$0.10',
      '$0',
      '$1,234.50',
      '-$0.0217',
      '–',
    ]);
  });

  it('shows shares as percentages and durations in ms, then s', () => {
    expect([1 - 0.95, 0.978, 0.045, 1, null].map(formatPercent)).toEqual(['5%', '98%', '4.5%', '100%', '–']);
    expect([812.4, 1240, 12_500].map(formatMs)).toEqual(['812 ms', '1,240 ms', '12.5 s']);
  });

  it('escapes markup and both quotes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')"> & </script>`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; &lt;/script&gt;',
    );
  });
});
