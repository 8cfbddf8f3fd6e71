import { costOf, createTieredClient, defineCatalog, type AffinityOption, type TokenUsage } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

const conversations = 10;
const turns = 6;
// A system prompt of about 800 tokens: cached with what follows it (a provider caches from 1,024 tokens on).
const system = `You are the support agent of ACME Corp. ${'Follow the refund, shipping and privacy policies below to the letter. '.repeat(45)}`;
// Turns as a support chat has them: a few hundred tokens each way.
const details = 'Here is what I see on the tracking page, and what the courier told me on the phone. '.repeat(6);
const answer = 'I am sorry about the delay. Here is what I checked, and what we will do next for you. '.repeat(12);
const model = {
  id: 'gpt-4.1',
  tier: 'warm',
  inputCostPerMTok: 2,
  outputCostPerMTok: 8,
  cachedInputCostPerMTok: 0.5,
  contextWindow: 1_000_000,
} as const;

interface Tally {
  inputTokens: number;
  cachedInputTokens: number;
  inputUsd: number;
}

/**
 * 10 conversations of 6 turns on two deployments of one model (two regions, `weighted` balancing of
 * equal weights: a coin toss per call), against mock providers that keep a prompt cache as OpenAI's:
 * what the input tokens cost with `affinity` as given.
 */
async function run(affinity: AffinityOption): Promise<Tally> {
  const mocks = await Promise.all(
    [0, 1].map(() => startMockOpenAI({ promptCache: true, defaultReply: { latencyMs: 20, content: answer } })),
  );
  const client = createTieredClient({
    catalog: defineCatalog({
      providers: {
        east: { apiKey: 'sk-demo-no-key-needed', baseURL: mocks[0]!.url },
        west: { apiKey: 'sk-demo-no-key-needed', baseURL: mocks[1]!.url },
      },
      tiers: ['warm'],
      models: [
        { ...model, provider: 'east', region: 'us-east' },
        { ...model, provider: 'west', region: 'us-west' },
      ],
    }),
    loadBalancing: 'weighted',
    affinity,
  });
  const tally: Tally = { inputTokens: 0, cachedInputTokens: 0, inputUsd: 0 };
  const count = (usage: TokenUsage): void => {
    tally.inputTokens += usage.inputTokens;
    tally.cachedInputTokens += usage.cachedInputTokens;
    tally.inputUsd += costOf({ ...usage, outputTokens: 0 }, model);
  };
  const converse = async (i: number): Promise<void> => {
    const messages: { role: 'system' | 'user' | 'assistant'; content: string }[] = [
      { role: 'system', content: system },
      { role: 'user', content: `Customer ${i}: my order has not arrived. ${details}` },
    ];
    for (let turn = 1; turn <= turns; turn++) {
      const result = await client.tieredChat({ model: 'warm', messages: [...messages] });
      count(result.usage);
      messages.push({ role: 'assistant', content: result.text }, { role: 'user', content: `Follow-up ${turn}: ${details}` });
    }
  };
  try {
    await Promise.all(Array.from({ length: conversations }, (_, i) => converse(i)));
  } finally {
    await client.close();
    await Promise.all(mocks.map((mock) => mock.close()));
  }
  return tally;
}

/** The demo's section on conversation affinity: the same multi-turn workload with affinity on and off, as a table. */
export async function affinityLines(): Promise<string[]> {
  const on = await run('conversation');
  const off = await run(false);
  const row = (name: string, t: Tally) =>
    `| ${name} | ${t.inputTokens} | ${t.cachedInputTokens} | ${((t.cachedInputTokens / t.inputTokens) * 100).toFixed(0)}% | ${t.inputUsd.toFixed(4)} |`;
  return [
    `conversation affinity: ${conversations} conversations x ${turns} turns on two deployments of ${model.id} (weighted balancing), providers with a prompt cache:`,
    '| affinity | input tokens | cached input tokens | cached | input cost $ |',
    '| --- | ---: | ---: | ---: | ---: |',
    row("'conversation' (default)", on),
    row('false', off),
    `with affinity each conversation stays on one deployment and its history is read from the prompt cache: input cost ${((1 - on.inputUsd / off.inputUsd) * 100).toFixed(0)}% lower.`,
  ];
}
