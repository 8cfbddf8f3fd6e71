import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ask, startFleet, type Fleet } from './fleet.js';

let fleet: Fleet;
beforeEach(async () => {
  fleet = await startFleet();
});
afterEach(() => fleet.close());

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('resources', () => {
  it('10,000 calls sharing one caller signal leave no listener on it and no timer behind', async () => {
    const client = fleet.client();
    const controller = new AbortController();
    const before = timers();

    for (let batch = 0; batch < 100; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, () =>
          client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: controller.signal }),
        ),
      );
    }

    expect(fleet.primary.requests).toHaveLength(10_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(timers()).toBeLessThanOrEqual(before + 2); // the breaker's rolling window, nothing per call
  }, 120_000);

  it('failed calls, retries and fallbacks leave no listener on the caller signal either', async () => {
    const client = fleet.client({ retry: { retries: 1 }, timeouts: { requestMs: 30 } });
    const controller = new AbortController();
    fleet.primary.setReply('eco-mini', { status: 500 });
    fleet.secondary.setReply('eco-mini', { fault: 'hang' });
    fleet.primary.setReply('warm-std', { status: 400 });

    for (let i = 0; i < 20; i++) {
      await client.chat.completions.create({ model: 'economy', messages: ask() }, { signal: controller.signal }).catch(() => undefined);
    }

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
