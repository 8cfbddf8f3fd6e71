import { ConfigError } from '../errors/ConfigError.js';
import type { TieredClientOptions } from './options.js';
import type { TieredStream } from './TieredStream.js';
import type {
  TieredChatParams,
  TieredChatParamsNonStreaming,
  TieredChatParamsStreaming,
  TieredChatResult,
  TieredRequestOptions,
} from '../call/requests.js';
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
export function tieredChat(params: TieredChatParamsStreaming, options?: TieredRequestOptions): TieredStream;
export function tieredChat(params: TieredChatParamsNonStreaming, options?: TieredRequestOptions): Promise<TieredChatResult>;
export function tieredChat(params: TieredChatParams, options?: TieredRequestOptions): Promise<TieredChatResult> | TieredStream {
  if (defaultClient === undefined) {
    const error = new ConfigError(
      'configure',
      'tieredChat() was called before configure()',
      'Call configure({ catalog, ... }) once at startup.',
    );
    if (params?.stream === true) throw error;
    return Promise.reject(error);
  }
  return defaultClient.tieredChat(params, options);
}
