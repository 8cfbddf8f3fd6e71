import { TieredError, isErrorWithCode } from './TieredError.js';

/** A call on a client after its `close()`: a closed client takes no more calls. */
export class ClientClosedError extends TieredError {
  readonly code = 'CLIENT_CLOSED';

  constructor() {
    super('The client is closed: it takes no more calls.', { hint: 'Create a new client with createTieredClient(); close() is final.' });
  }

  static override isInstance = isErrorWithCode<ClientClosedError>('CLIENT_CLOSED');
}
