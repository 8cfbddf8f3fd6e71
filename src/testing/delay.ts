/**
 * Waits `ms` with the global `setTimeout` looked up at call time, so fake timers installed after
 * import still drive it. Resolves `false` without waiting further once `signal` aborts, and
 * clears its timer then, so a departed client leaves nothing scheduled.
 */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      globalThis.clearTimeout(timer);
      resolve(false);
    };
    const timer = globalThis.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
