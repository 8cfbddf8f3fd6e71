import { ConfigError } from '../errors/ConfigError.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { showValue } from '../errors/showValue.js';
import type { ProviderConnections } from './types.js';

const connectionKeys = ['keepAliveMs', 'max'];

const hints = {
  keepAliveMs: "How long an idle connection waits for the next request, e.g. 30000; omit it for the server's keep-alive.",
  max: 'The most sockets open at once to this provider, e.g. 16; omit it for no limit.',
} as const;

/**
 * A provider's `connections`, checked: an object of positive whole numbers, and only on a provider
 * whose client we make. @throws ConfigError naming the field, e.g. `providers.openai.connections.max`
 */
export function checkConnections(provider: Readonly<Record<string, unknown>>, field: string): void {
  const connections = provider.connections;
  if (connections === undefined) return;
  if (provider.client !== undefined) {
    throw new ConfigError(
      `${field}.connections`,
      'cannot be given with client: a client the application made keeps its own connections',
      "Configure that client's pool instead (its fetch, or fetchOptions.dispatcher), or give apiKey and baseURL.",
    );
  }
  if (typeof connections !== 'object' || connections === null || Array.isArray(connections)) {
    throw new ConfigError(`${field}.connections`, 'must be an object', 'E.g. { max: 16, keepAliveMs: 30000 }.');
  }
  rejectUnknownKeys(connections, connectionKeys, `${field}.connections.`, 'field');
  for (const key of ['keepAliveMs', 'max'] as const) {
    const value = (connections as ProviderConnections)[key] as unknown;
    if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value > 0)) {
      throw new ConfigError(`${field}.connections.${key}`, `must be a whole number above 0, got ${showValue(value)}`, hints[key]);
    }
  }
}
