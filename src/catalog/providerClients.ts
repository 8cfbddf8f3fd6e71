import type OpenAI from 'openai';
import { ProviderClient } from './ProviderClient.js';
import type { Catalog } from './types.js';

/** One `openai` client per provider, reused by every request so connections stay alive. */
export interface ProviderClients {
  readonly clients: ReadonlyMap<string, OpenAI>;
  /** Every API key in use, so that they can be scrubbed from anything we emit. */
  readonly secrets: readonly string[];
}

/** Makes (or adopts) the client of each provider, always with `maxRetries: 0`: our retries replace its own. */
export function providerClients(catalog: Catalog): ProviderClients {
  const clients = new Map<string, OpenAI>();
  const secrets: string[] = [];
  for (const [name, provider] of Object.entries(catalog.providers)) {
    if (provider.client !== undefined) {
      clients.set(name, provider.client.withOptions({ maxRetries: 0 }));
      if (typeof provider.client.apiKey === 'string') secrets.push(provider.client.apiKey);
      continue;
    }
    const apiKey = provider.apiKey as string;
    secrets.push(apiKey);
    // Gateways and Azure take keys in headers too (api-key, x-...-key): treat every header value as one.
    if (provider.defaultHeaders !== undefined) secrets.push(...Object.values(provider.defaultHeaders));
    clients.set(
      name,
      new ProviderClient({
        apiKey,
        maxRetries: 0,
        // Every failure reaches the app as a typed event or error; openai's own log lines would repeat
        // them, and its SSE parse errors print raw chunks (answer text) to stderr.
        logLevel: 'off',
        ...(provider.baseURL === undefined ? {} : { baseURL: provider.baseURL }),
        ...(provider.organization === undefined ? {} : { organization: provider.organization }),
        ...(provider.project === undefined ? {} : { project: provider.project }),
        ...(provider.defaultHeaders === undefined ? {} : { defaultHeaders: provider.defaultHeaders }),
      }),
    );
  }
  return { clients, secrets };
}
