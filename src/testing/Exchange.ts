import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockSettlement } from './MockRequest.js';

/**
 * The life of one request/response pair: how it ended, and a signal that aborts when it ends so
 * pending delays stop at once instead of firing into a dead socket.
 */
export class Exchange {
  readonly settled: Promise<MockSettlement>;
  readonly #controller = new AbortController();
  #closedEarly = false;
  #droppedByMock = false;

  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#req = req;
    let settle!: (how: MockSettlement) => void;
    this.settled = new Promise((resolve) => (settle = resolve));
    res.once('finish', () => settle('completed'));
    res.once('close', () => {
      // 'close' also follows a normal 'finish'; only an unfinished response ended early.
      if (!res.writableFinished) {
        if (this.#droppedByMock) settle('reset');
        else {
          this.#closedEarly = true;
          settle('closed-early');
        }
      }
      this.#controller.abort();
    });
  }

  /** Aborts when the exchange is over, whoever ended it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the client went away before the response was complete. */
  get closedEarly(): boolean {
    return this.#closedEarly;
  }

  /** Marks the coming end of the connection as the mock's doing, not the client's. */
  markDroppedByMock(): void {
    this.#droppedByMock = true;
  }

  /** Destroys the connection without (further) response: the client sees a reset. */
  reset(): void {
    this.markDroppedByMock();
    this.#req.socket.destroy();
  }
}
