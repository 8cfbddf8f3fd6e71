import { describe, expect, it } from 'vitest';
import { ConfigError, type Feedback, type FeedbackEvent, type QualityMetrics } from '../src/index.js';
import { ask, useFleet } from './fleet.js';

const fleet = useFleet();

const noFeedback: QualityMetrics = {
  feedbackCount: 0,
  meanScore: null,
  thumbsUpRate: null,
  escalations: 0,
  escalationRate: 0,
  shadowCount: 0,
  shadowScore: null,
};

function feedbackEvents(client: ReturnType<typeof fleet.client>): FeedbackEvent[] {
  const events: FeedbackEvent[] = [];
  client.on('feedback', (e) => void events.push(e));
  return events;
}

describe('client.feedback()', () => {
  it('joins a feedback to its request by the requestId of tieredChat(), and emits it with where it was answered', async () => {
    const client = fleet.client();
    const events = feedbackEvents(client);
    const { requestId } = await client.tieredChat({ model: 'economy', messages: ask() });

    expect(client.feedback(requestId, { score: 0.8, label: 'tone' })).toBe(true);

    expect(events).toEqual([
      { requestId, operation: 'chat', model: 'eco-mini', provider: 'primary', tier: 'economy', score: 0.8, label: 'tone' },
    ]);
    const metrics = client.metrics();
    for (const entry of [metrics.total, metrics.byTier.economy, metrics.byModel['eco-mini'], metrics.byDeployment['primary/eco-mini']])
      expect(entry?.quality).toEqual({ ...noFeedback, feedbackCount: 1, meanScore: 0.8 });
  });

  it('joins a create() call by the x-tiered-llm-request-id header of withResponse() and asResponse(), streaming or not', async () => {
    const client = fleet.client({ cache: {} });
    const ended: string[] = [];
    client.on('request:end', (e) => void ended.push(e.requestId));

    const { response } = await client.chat.completions.create({ model: 'economy', messages: ask('one') }).withResponse();
    const { data: stream, response: streamed } = await client.chat.completions
      .create({ model: 'warm', messages: ask('two'), stream: true })
      .withResponse();
    for await (const _ of stream);
    const hit = await client.chat.completions.create({ model: 'economy', messages: ask('one') }).asResponse();

    const ids = [response, streamed, hit].map((r) => r.headers.get('x-tiered-llm-request-id'));
    expect(ids).toEqual(ended); // each call's own id, the cache hit's included
    expect(response.headers.get('content-type')).toMatch(/application\/json/); // the provider's headers are all still there
    expect(hit.headers.get('x-tiered-llm-cache')).toBe('hit');
    expect(ids.map((id) => client.feedback(id!, { thumbs: 'up' }))).toEqual([true, true, true]);
    expect(client.metrics().byTier.warm?.quality).toMatchObject({ feedbackCount: 1, meanScore: 1, thumbsUpRate: 1 });
  });

  it('counts a feedback on a cache hit for the model that produced the answer', async () => {
    const client = fleet.client({ cache: {} });
    const events = feedbackEvents(client);
    await client.tieredChat({ model: 'warm', messages: ask() });
    const hit = await client.tieredChat({ model: 'warm', messages: ask() });

    expect(client.feedback(hit.requestId, { thumbs: 'down' })).toBe(true);

    expect(events[0]).toMatchObject({ requestId: hit.requestId, model: 'warm-std', tier: 'warm', score: 0 });
    expect(client.metrics().byModel['warm-std']?.quality).toMatchObject({ feedbackCount: 1, meanScore: 0, thumbsUpRate: 0 });
  });

  it('replaces the first feedback of a request with the second', async () => {
    const client = fleet.client();
    const events = feedbackEvents(client);
    const { requestId } = await client.tieredChat({ model: 'economy', messages: ask() });

    client.feedback(requestId, { score: 0.2 });
    client.feedback(requestId, { thumbs: 'up' });
    const afterUp = client.metrics().total.quality;
    client.feedback(requestId, { score: 0.6 });

    expect(afterUp).toMatchObject({ feedbackCount: 1, meanScore: 1, thumbsUpRate: 1 });
    expect(client.metrics().total.quality).toMatchObject({ feedbackCount: 1, meanScore: 0.6, thumbsUpRate: null });
    expect(events.map((e) => e.score)).toEqual([0.2, 1, 0.6]);
  });

  it('averages the feedback of each scope apart, and all of it in the total', async () => {
    const client = fleet.client();
    const economy = await client.tieredChat({ model: 'economy', messages: ask() });
    const warm = await client.tieredChat({ model: 'warm', messages: ask() });
    const warmAgain = await client.tieredChat({ model: 'warm', messages: ask() });

    client.feedback(economy.requestId, { score: 0.25 });
    client.feedback(warm.requestId, { thumbs: 'up' });
    client.feedback(warmAgain.requestId, { thumbs: 'down' });

    const metrics = client.metrics();
    expect(metrics.byTier.economy?.quality).toMatchObject({ feedbackCount: 1, meanScore: 0.25, thumbsUpRate: null });
    expect(metrics.byTier.warm?.quality).toMatchObject({ feedbackCount: 2, meanScore: 0.5, thumbsUpRate: 0.5 });
    expect(metrics.total.quality).toMatchObject({ feedbackCount: 3, meanScore: 1.25 / 3, thumbsUpRate: 0.5 });
  });

  it('returns false and changes nothing for a request it does not know, or one that failed', async () => {
    const client = fleet.client({ fallback: 'none', retry: { retries: 0 } });
    const events = feedbackEvents(client);
    fleet.primary.setReply('warm-std', { status: 400 });
    let failedId = '';
    client.on('request:error', (e) => void (failedId = e.requestId));
    await client.tieredChat({ model: 'economy', messages: ask() });
    await client.tieredChat({ model: 'warm', messages: ask() }).catch(() => undefined);
    const before = client.metrics();

    expect(client.feedback('not-a-request-of-ours', { score: 1 })).toBe(false);
    expect(client.feedback(failedId, { thumbs: 'up' })).toBe(false);

    expect(failedId).not.toBe('');
    expect(client.metrics()).toEqual(before);
    expect(events).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['a score above 1', { score: 1.5 }, 'score'],
    ['a negative score', { score: -0.1 }, 'score'],
    ['a NaN score', { score: Number.NaN }, 'score'],
    ['a score that is a string', { score: '1' }, 'score'],
    ['neither score nor thumbs', { label: 'tone' }, 'score'],
    ['both score and thumbs', { score: 1, thumbs: 'up' }, 'thumbs'],
    ['a thumb sideways', { thumbs: 'sideways' }, 'thumbs'],
    ['a label that is not a string', { thumbs: 'up', label: 3 }, 'label'],
    ['a misspelt field', { thumbs: 'up', lable: 'tone' }, 'lable'],
    ['no object at all', 0.5, 'feedback'],
  ])('refuses %s with a ConfigError naming the field, for a known request or not', async (_what, feedback, field) => {
    const client = fleet.client();
    const events = feedbackEvents(client);
    const { requestId } = await client.tieredChat({ model: 'economy', messages: ask() });

    for (const id of [requestId, 'unknown']) {
      let thrown: unknown;
      try {
        client.feedback(id, feedback as Feedback);
      } catch (error) {
        thrown = error;
      }
      expect(ConfigError.isInstance(thrown)).toBe(true);
      expect((thrown as ConfigError).field).toBe(field);
    }
    expect(client.metrics().total.quality.feedbackCount).toBe(0);
    expect(events).toEqual([]);
  });

  it('refuses a request id that is not a string', () => {
    const client = fleet.client();

    expect(() => client.feedback(42 as unknown as string, { score: 1 })).toThrow(expect.objectContaining({ field: 'requestId' }));
  });

  it('remembers the last 10,000 answered requests: past them, the oldest is forgotten', async () => {
    const client = fleet.client({ cache: {} });
    const first = await client.tieredChat({ model: 'economy', messages: ask() });
    const second = await client.tieredChat({ model: 'economy', messages: ask() }); // a cache hit: remembered too
    for (let i = 0; i < 9_999; i++) await client.tieredChat({ model: 'economy', messages: ask() });

    expect(client.feedback(first.requestId, { score: 1 })).toBe(false);
    expect(client.feedback(second.requestId, { score: 1 })).toBe(true);
    expect(fleet.primary.requests).toHaveLength(1);
  });

  it('counts quality escalations where the poor answer came from', async () => {
    const client = fleet.client({ qualityEscalation: true });
    fleet.primary.setReply('eco-mini', { content: '   ' });
    await client.tieredChat({ model: 'economy', messages: ask() }); // escalated to warm
    await client.tieredChat({ model: 'warm', messages: ask() });

    const metrics = client.metrics();

    expect(metrics.byTier.economy?.quality).toMatchObject({ escalations: 1, escalationRate: 1 }); // its only answer was poor
    expect(metrics.byDeployment['primary/eco-mini']?.quality.escalations).toBe(1);
    expect(metrics.byTier.warm?.quality).toMatchObject({ escalations: 0, escalationRate: 0 });
    expect(metrics.total.quality).toMatchObject({ escalations: 1, escalationRate: 1 / 3 }); // 1 of 3 answers
  });
});
