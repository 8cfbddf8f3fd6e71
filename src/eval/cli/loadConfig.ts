import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, defineCatalog, type CatalogDefinition, type TieredClientOptions } from 'tiered-llm';

/**
 * The client options of a config module: its default export, client options (`{ catalog, ... }`)
 * or a catalog (made with `defineCatalog`, or its plain definition). `.mjs`, `.js` and `.cjs` load
 * as they are; `.ts` needs Node to run under a TypeScript loader (`node --import tsx`).
 * @throws ConfigError naming the file and what is wrong with it.
 */
export async function loadConfig(path: string, cwd: string): Promise<TieredClientOptions> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) throw new ConfigError(path, 'does not exist', 'Check the path given to --config.');
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const typescript = code === 'ERR_UNKNOWN_FILE_EXTENSION' && ['.ts', '.mts', '.cts'].includes(extname(file));
    throw new ConfigError(
      path,
      typescript ? 'is TypeScript, and Node runs no TypeScript loader' : `could not be loaded (${firstLine(error)})`,
      typescript
        ? 'Run under a loader (node --import tsx node_modules/.bin/tiered-llm eval ...), or write the config as .mjs.'
        : 'Fix the module so that node can import it.',
    );
  }
  const value = 'default' in loaded ? loaded['default'] : undefined;
  const config = (value as Record<string, unknown> | undefined)?.['default'] ?? value; // a CommonJS module's exports
  if (typeof config !== 'object' || config === null)
    throw new ConfigError(
      `${path}: default export`,
      'is missing',
      'export default { catalog } (client options), or export default a catalog.',
    );
  if ('catalog' in config) return config as TieredClientOptions;
  if ('providers' in config && 'tiers' in config && 'models' in config) {
    const catalog = 'deployments' in config ? config : defineCatalog(config as unknown as CatalogDefinition);
    return { catalog } as TieredClientOptions;
  }
  throw new ConfigError(
    `${path}: default export`,
    'is neither client options nor a catalog',
    'export default { catalog } (client options), or export default defineCatalog({ providers, tiers, models }).',
  );
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
