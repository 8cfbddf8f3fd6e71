/**
 * Runs `work` on every item, at most `concurrency` at a time, in order of the list. Once `signal`
 * aborts, no new item starts; those in flight finish (their own calls see the same signal). Once
 * `work` throws (a caller's `onProgress`, say), no new item starts either, and when those in flight
 * have finished the pool rejects with that first error: nothing goes on paying in the background.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length && signal?.aborted !== true) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
