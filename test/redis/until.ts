/**
 * Polls `check` every 20 ms until it holds; fails, naming `what`, after `boundMs`. Not a sleep: it
 * returns as soon as it can. Only for what a real Redis process decides on its own clock (an expiry,
 * a reconnection, its client list); everything of ours runs on the fake clock of support/clock.ts.
 */
export async function until(check: () => Promise<boolean> | boolean, what: string, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`gave up after ${boundMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
