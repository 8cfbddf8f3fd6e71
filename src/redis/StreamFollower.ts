/** One entry of a Redis stream: its id and its fields (names and values alternating), as bytes. */
export interface StreamRecord {
  readonly id: string;
  readonly fields: readonly Buffer[];
}

/** Reads a stream for a {@link StreamFollower}. */
export interface StreamReader {
  /** The next entries after the id `after`; with `block`, waits a while for one when there is none yet. Rejects when Redis fails. */
  read(after: string, block: boolean): Promise<readonly StreamRecord[]>;
  /** Interrupts a read in flight and releases the connection. */
  close(): Promise<void> | void;
}

/** Pauses between two failed reads: from the first to the longest, doubling. */
const firstPauseMs = 100;
const longestPauseMs = 2_000;

/**
 * Follows a stream from its beginning: hands each entry to `onRecord`, in order, then waits for
 * more. On a failure (Redis down) it reports once per outage, pauses (unref'd timers, growing up
 * to 2 s) and tries again from the last id it saw, so nothing published meanwhile is missed.
 * `ready` settles once the entries there at the start are read (a read returned fewer than
 * `batch`), or at the first failure.
 */
export class StreamFollower {
  /** Settles once caught up with what the stream held at the start, or at the first failure. */
  readonly ready: Promise<void>;
  #markReady!: () => void;
  #after = '0-0';
  #caughtUp = false;
  #failing = false;
  #stopped = false;
  #pauseMs = firstPauseMs;
  #wake: (() => void) | undefined;
  readonly #running: Promise<void>;

  constructor(
    private readonly reader: StreamReader,
    private readonly batch: number,
    private readonly onRecord: (record: StreamRecord) => void,
    private readonly onError: (error: Error) => void,
  ) {
    this.ready = new Promise<void>((resolve) => (this.#markReady = resolve));
    this.#running = this.#run();
  }

  /** Reports a failure (of a read, or of a write beside it), unless this outage has been reported already. */
  failed(error: unknown): void {
    if (this.#stopped) return;
    this.#markReady();
    if (this.#failing) return;
    this.#failing = true;
    try {
      this.onError(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // The listener's bug is not the follower's.
    }
  }

  /** Stops following: interrupts the read in flight, and settles once the loop has ended. */
  async stop(): Promise<void> {
    if (this.#stopped) return this.#running;
    this.#stopped = true;
    this.#markReady();
    this.#wake?.();
    await this.reader.close();
    return this.#running;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let records: readonly StreamRecord[];
      try {
        records = await this.reader.read(this.#after, this.#caughtUp);
      } catch (error) {
        this.failed(error);
        if (!this.#stopped) await this.#pause();
        continue;
      }
      if (this.#stopped) return;
      this.#failing = false;
      this.#pauseMs = firstPauseMs;
      for (const record of records) {
        this.#after = record.id;
        try {
          this.onRecord(record);
        } catch {
          // One bad entry does not stop the others.
        }
      }
      if (!this.#caughtUp && records.length < this.batch) {
        this.#caughtUp = true;
        this.#markReady();
      }
    }
  }

  #pause(): Promise<void> {
    const ms = this.#pauseMs;
    this.#pauseMs = Math.min(ms * 2, longestPauseMs);
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.#wake = wake;
    });
  }
}
