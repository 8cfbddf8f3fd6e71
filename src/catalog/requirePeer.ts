import { createRequire } from 'node:module';

// Resolution failures that mean "not installed here"; anything else (a broken install) is thrown.
const NOT_INSTALLED = new Set(['MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);

/**
 * An optional peer dependency, loaded synchronously (from where tiered-llm is installed) on first
 * need, or `undefined` when it is not installed. Importing tiered-llm loads none of them.
 */
export function requirePeer(specifier: string): unknown {
  // createRequire, not a bare `require`: esbuild swaps that for a stub that throws in ES modules. The
  // CommonJS build has `__filename` and an empty `import.meta`. Not tsup's `shims`: they build the URL
  // from `__filename` unescaped, so a project under a folder named with '#' resolved from its parent.
  const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  try {
    return require(specifier);
  } catch (error) {
    if (NOT_INSTALLED.has((error as { code?: unknown }).code as string)) return undefined;
    throw error;
  }
}
