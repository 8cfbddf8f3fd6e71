import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url).pathname;
const sources = (readdirSync(src, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

// The structure a newcomer relies on, kept by a test (import cycles are `npm run lint`'s).
describe('the source tree', () => {
  it('has no file over 250 lines', () => {
    const long = sources.filter((file) => readFileSync(join(src, file), 'utf8').split('\n').length > 250);

    expect(sources.length).toBeGreaterThan(100);
    expect(long).toEqual([]);
  });

  it('has an index.ts that only re-exports', () => {
    const statements = readFileSync(join(src, 'index.ts'), 'utf8')
      .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      .split(';')
      .map((statement) => statement.trim())
      .filter((statement) => statement !== '');

    expect(statements.length).toBeGreaterThan(10);
    expect(statements.filter((statement) => !/^export (type )?\{[^}]*\} from '[^']+'$/s.test(statement))).toEqual([]);
  });
});
