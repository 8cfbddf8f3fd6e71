import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The built package run in a project outside this repository (so no node_modules above it holds an
// optional peer), given only its dependencies, openai, and the peers a test names: nothing is
// uninstalled and no internal is reached. `npm test` builds dist/ first (pretest).
const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** A temporary folder of projects holding a copy of the package (its `files`: dist/); `remove()` when done. */
export function peerProjects(prefix: string): { project(name: string, peers: readonly string[]): string; remove(): void } {
  let base: string | undefined;
  return {
    project(name, peers) {
      if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
      base ??= mkdtempSync(join(tmpdir(), prefix));
      const dir = join(base, name);
      cpSync(join(root, 'dist'), join(dir, 'node_modules/tiered-llm/dist'), { recursive: true });
      cpSync(join(root, 'package.json'), join(dir, 'node_modules/tiered-llm/package.json'));
      for (const dependency of [...Object.keys(pkg.dependencies), 'openai', ...peers]) {
        mkdirSync(dirname(join(dir, 'node_modules', dependency)), { recursive: true });
        // Linked packages run from their real path, so their own dependencies resolve where they are installed.
        symlinkSync(realpathSync(join(root, 'node_modules', dependency)), join(dir, 'node_modules', dependency), 'dir');
      }
      return dir;
    },
    remove: () => {
      if (base !== undefined) rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Runs a program (ESM or CommonJS) in a project and parses the JSON it prints; asynchronously, as its mock server lives in the child. */
export function runIn(cwd: string, kind: 'module' | 'commonjs', source: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [`--input-type=${kind}`, '-e', source], { cwd, timeout: 30_000 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as Record<string, unknown>),
    ),
  );
}
