import { describe, expect, it } from 'vitest';
import type { LiveDeployment } from '../resilience/LiveDeployment.js';
import { Affinity } from './Affinity.js';

/** A healthy deployment, as far as affinity looks: no cool-down, breaker closed, not drained. */
const live = (name: string) => ({ name, coolingDown: () => false, rejecting: false, drained: () => false }) as unknown as LiveDeployment;

describe('Affinity', () => {
  it('forgets the conversation that called least recently once it holds more than its bound', () => {
    const [a, b] = [live('a'), live('b')];
    const affinity = new Affinity('conversation', 3);
    for (const key of ['k1', 'k2', 'k3', 'k4']) affinity.remember(key, b, undefined);

    // k1 is forgotten: its candidates keep their order; k2 is still pinned to b.
    expect(affinity.first('k1', [a, b], 2)).toEqual([a, b]);
    expect(affinity.first('k2', [a, b], 2)).toEqual([b, a]);
  });

  it('never moves the pinned deployment out of the first group of equals', () => {
    const [a, b, c] = [live('a'), live('b'), live('c')];
    const affinity = new Affinity('conversation');
    affinity.remember('k', c, undefined);

    expect(affinity.first('k', [a, b, c], 2)).toEqual([a, b, c]);
    expect(affinity.first('k', [a, c, b], 2)).toEqual([c, a, b]);
  });
});
