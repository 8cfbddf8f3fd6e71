import type OpenAI from 'openai';
import type { ClientOptions } from 'openai';
import { fetchSettings, type ConnectionPool } from './ConnectionPool.js';
import type { ProviderConfig } from './types.js';

/**
 * The options of the `OpenAI` client a tiered client is (its base class), made from its default
 * provider: the resources it does not route reach that provider as its own client would reach it,
 * with `openai`'s own retries. A client the application brought is copied as `withOptions()`
 * copies one; a keyed provider gets a fresh client that, like ours, follows no redirect to another
 * origin unless the provider allows it, through the provider's connection pool when it has one.
 */
export function baseClientOptions(provider: ProviderConfig, pool?: ConnectionPool): ClientOptions {
  if (provider.client !== undefined) {
    const client = provider.client as OpenAI & { _options: ClientOptions };
    return {
      ...client._options,
      baseURL: client.baseURL,
      maxRetries: client.maxRetries,
      timeout: client.timeout,
      logger: client.logger,
      logLevel: client.logLevel,
      fetch: (client as unknown as { fetch: ClientOptions['fetch'] }).fetch,
      fetchOptions: client.fetchOptions,
      apiKey: client.apiKey,
      organization: client.organization,
      project: client.project,
      webhookSecret: client.webhookSecret,
    };
  }
  return {
    apiKey: provider.apiKey as string,
    ...(provider.baseURL === undefined ? {} : { baseURL: provider.baseURL }),
    ...(provider.organization === undefined ? {} : { organization: provider.organization }),
    ...(provider.project === undefined ? {} : { project: provider.project }),
    ...(provider.defaultHeaders === undefined ? {} : { defaultHeaders: provider.defaultHeaders }),
    ...fetchSettings(provider, pool),
  };
}
