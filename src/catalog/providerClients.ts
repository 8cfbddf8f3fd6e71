import type OpenAI from 'openai';
import { ConnectionPool, fetchSettings } from './ConnectionPool.js';
import { ProviderClient } from './ProviderClient.js';
import type { Catalog } from './types.js';
import { secretsOf } from '../telemetry/Redactor.js';

/** One `openai` client per provider, reused by every request so connections stay alive. */
export interface ProviderClients {
  readonly clients: ReadonlyMap<string, OpenAI>;
  /** Every API key in use, so that they can be scrubbed from anything we emit. */
  readonly secrets: readonly string[];
  /** The connection pools of the providers that set `connections`, by provider name. */
  readonly pools: ReadonlyMap<string, ConnectionPool>;
}

/** Makes (or adopts) the client of each provider, always with `maxRetries: 0`: our retries replace its own. */
export function providerClients(catalog: Catalog): ProviderClients {
  const clients = new Map<string, OpenAI>();
  const secrets: string[] = [];
  const pools = new Map<string, ConnectionPool>();
  for (const [name, provider] of Object.entries(catalog.providers)) {
    if (provider.client !== undefined) {
      clients.set(name, withoutRetries(provider.client));
      // openai keeps the options a client was made with (pinned by ProviderClient.test.ts).
      const made = (provider.client as unknown as { _options?: { defaultHeaders?: unknown } })._options;
      secrets.push(...secretsOf(provider.client.apiKey, made?.defaultHeaders, false));
      continue;
    }
    const apiKey = provider.apiKey as string;
    const pool = provider.connections === undefined ? undefined : new ConnectionPool(provider.connections, `providers.${name}.connections`);
    if (pool !== undefined) pools.set(name, pool);
    // Gateways and Azure take keys in headers too (api-key, x-...-key): treat every header value as one.
    secrets.push(...secretsOf(apiKey, provider.defaultHeaders, true));
    const client = new ProviderClient({
      apiKey,
      maxRetries: 0,
      // Every failure reaches the app as a typed event or error; openai's own log lines would repeat
      // them, and its SSE parse errors print raw chunks (answer text) to stderr.
      logLevel: 'off',
      ...(provider.baseURL === undefined ? {} : { baseURL: provider.baseURL }),
      ...(provider.organization === undefined ? {} : { organization: provider.organization }),
      ...(provider.project === undefined ? {} : { project: provider.project }),
      ...(provider.defaultHeaders === undefined ? {} : { defaultHeaders: provider.defaultHeaders }),
      // Redirects are ours to judge (ProviderClient): the key must not follow one to another host.
      ...fetchSettings(provider, pool),
    });
    client.followRedirects = provider.followRedirects === true;
    clients.set(name, client);
  }
  return { clients, secrets, pools };
}

/**
 * The application's client with its own retries off. A client `withOptions()` cannot copy (openai's
 * `AzureOpenAI` loses its `apiVersion` on the way and throws) is used as it is: every request we send
 * passes `maxRetries: 0` itself, so its retries stay off all the same.
 */
function withoutRetries(client: OpenAI): OpenAI {
  try {
    return client.withOptions({ maxRetries: 0 });
  } catch {
    return client;
  }
}
