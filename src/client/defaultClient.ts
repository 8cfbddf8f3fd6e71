import { ConfigError } from '../errors/ConfigError.js';
import type { TieredClientOptions } from './options.js';
import type { TieredChatParamsNonStreaming, TieredChatResult, TieredRequestOptions } from './requests.js';
import { TieredClient } from './TieredClient.js';

let defaultClient: TieredClient | undefined;

/**
 * Sets the client behind the top-level `tieredChat()`, closing the one set before. Returns it, e.g.
 * to subscribe to its events.
 */
export function configure<C extends TieredClientOptions['catalog']>(options: TieredClientOptions<C>): TieredClient<C> {
  const client = new TieredClient(options);
  const previous = defaultClient;
  defaultClient = client as unknown as TieredClient;
  void previous?.close();
  return client;
}

/** `tieredChat()` on the client set with `configure()`; @throws ConfigError when none was set. */
export function tieredChat(params: TieredChatParamsNonStreaming, options?: TieredRequestOptions): Promise<TieredChatResult> {
  if (defaultClient === undefined) {
    return Promise.reject(
      new ConfigError('configure', 'tieredChat() was called before configure()', 'Call configure({ catalog, ... }) once at startup.'),
    );
  }
  return defaultClient.tieredChat(params, options);
}
