import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('npm run demo', () => {
  it('runs the mixed workload on the embedded default and prints the cost and latency report', async () => {
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const cwd = mkdtempSync(join(root, '.tmp/demo-'));
    try {
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', join(root, 'examples/demo/demo.ts')],
          { cwd, env: { ...process.env, DEMO_CALLS: '40' }, timeout: 60_000 },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        ),
      );

      expect(out).toContain('| model | calls | p50 ms | p95 ms | p99 ms | cost $ | cache hits | fallbacks | breaker trips |');
      expect(out).toMatch(/40 calls in [\d.]+ s, \d+ failed; cost \$[\d.]+ against \$[\d.]+ on gpt-4o alone: \d+% saved/);
      expect(existsSync(join(cwd, 'demo-report.html'))).toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 90_000);
});
