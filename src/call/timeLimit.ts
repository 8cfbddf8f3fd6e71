// setTimeout fires at once past this (it overflows a 32-bit integer): longer limits are chained.
const longestTimerMs = 2 ** 31 - 1;
const nothing = (): void => {};

/**
 * The one time limit of the library's waits (a store operation, a wait for another call's answer, a
 * backoff pause): settles as `pending` does, unless `limitMs` passes first (then `atLimit()` decides:
 * its value resolves the wait, its throw rejects it) or `signal` aborts (the wait rejects with its
 * reason). One timer, and one listener, both released whichever comes first; `pending`'s own
 * rejection is always handled. The timer is unref'd: what `pending` waits on (a socket, another
 * call) keeps the process alive, not its limit. Unless `holdsProcess`: a wait on nothing but time.
 */
export function withinTime<T>(
  pending: PromiseLike<T>,
  limitMs: number,
  atLimit: () => T,
  signal?: AbortSignal,
  holdsProcess = false,
): Promise<T> {
  if (signal?.aborted === true) {
    pending.then(undefined, nothing);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const release = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      release();
      reject(signal!.reason);
    };
    const arm = (ms: number): void => {
      if (!Number.isFinite(ms)) return;
      timer = setTimeout(
        () => {
          if (ms > longestTimerMs) return arm(ms - longestTimerMs);
          release();
          try {
            resolve(atLimit());
          } catch (error) {
            reject(error);
          }
        },
        Math.min(ms, longestTimerMs),
      );
      if (!holdsProcess) timer.unref();
    };
    arm(limitMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        release();
        resolve(value);
      },
      (error: unknown) => {
        release();
        reject(error);
      },
    );
  });
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts. Its timer holds the process:
 * during a backoff nothing else may (idle keep-alive sockets do not), and a script awaiting a call
 * must not exit halfway through it.
 */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  // A new never-settling promise each time: one shared for ever would keep every pause's handlers, and their signals, alive.
  return withinTime(new Promise<never>(nothing), ms, nothing, signal, true);
}
