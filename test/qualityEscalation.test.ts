import { describe, expect, it } from 'vitest';
import { ask, recordEvents, useFleet } from './fleet.js';

const fleet = useFleet();

describe('quality escalation', () => {
  it.each([
    ['an empty answer', { content: '   ' }, {}, 'empty_answer'],
    ['a content-filtered answer', { content: '', finishReason: 'content_filter' as const }, {}, 'content_filtered'],
    [
      'invalid JSON when JSON was asked for',
      { content: 'Sure! {"a": 1' },
      { response_format: { type: 'json_object' as const } },
      'invalid_json',
    ],
  ])('retries %s on the next tier up, and the trail says why', async (_what, reply, extra, code) => {
    const client = fleet.client({ qualityEscalation: true });
    const events = recordEvents(client);
    fleet.primary.setReply('eco-mini', { ...reply, usage: { promptTokens: 100, completionTokens: 10 } });
    fleet.primary.setReply('warm-std', { content: '{"a": 1}', usage: { promptTokens: 100, completionTokens: 10 } });

    const result = await client.tieredChat({ model: 'economy', messages: ask(), ...extra });

    expect(result).toMatchObject({ tier: 'warm', text: '{"a": 1}' });
    expect(result.attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}:${a.errorCode ?? ''}`)).toEqual([
      `primary/eco-mini:error:${code}`,
      'primary/warm-std:ok:',
    ]);
    expect(fleet.secondary.requestsFor('eco-mini')).toHaveLength(0); // up a tier, not sideways
    expect(events.find((e) => e.name === 'fallback')?.payload).toMatchObject({ from: 'eco-mini', to: 'warm-std', reason: code });
    expect(events.find((e) => e.name === 'attempt:error')?.payload).toMatchObject({ model: 'eco-mini', error: { code }, willRetry: false });
    // Both answers were billed: economy's poor one and warm's.
    expect(result.costUsd).toBeCloseTo((100 * 0.1 + 10 * 0.4 + 100 * 1 + 10 * 4) / 1e6, 12);
  });

  it('is off unless asked for', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: '' });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result.tier).toBe('economy');
  });

  it('can be asked for by one call', async () => {
    const client = fleet.client();
    fleet.primary.setReply('eco-mini', { content: '' });

    const result = await client.tieredChat({ model: 'economy', messages: ask() }, { qualityEscalation: true });

    expect(result.tier).toBe('warm');
  });

  it('serves the poor answer when no pricier tier does better', async () => {
    const client = fleet.client({ qualityEscalation: true });
    fleet.secondary.setReply('hot-max', { content: '' });

    const result = await client.tieredChat({ model: 'hot', messages: ask() });

    expect(result).toMatchObject({ tier: 'hot', text: '' });
    expect(result.attempts.map((a) => a.errorCode)).toEqual(['empty_answer']);
  });

  it('serves the poor answer when the tier above refuses the request', async () => {
    const client = fleet.client({ qualityEscalation: true });
    fleet.primary.setReply('eco-mini', { content: '' });
    fleet.primary.setReply('warm-std', { status: 400 });

    const result = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(result).toMatchObject({ tier: 'economy', text: '' });
  });

  it('never lets the cache keep a poor answer', async () => {
    const client = fleet.client({ cache: {} });
    fleet.primary.setReply('eco-mini', { content: '' });
    await client.tieredChat({ model: 'economy', messages: ask() });

    const again = await client.tieredChat({ model: 'economy', messages: ask() }, { qualityEscalation: true });

    expect(again).toMatchObject({ cached: false, tier: 'warm' });
  });
});
