import { createTieredClient, defineCatalog, type TieredClientOptions } from 'tiered-llm';
import { startMockOpenAI, type MockOpenAI, type MockRequest } from 'tiered-llm/testing';
import { JUDGE_RUBRIC } from 'tiered-llm/eval';

/** Every scripted answer reports these tokens, so each run's cost is exact: 1000 in, 100 out. */
export const usage = { promptTokens: 1000, completionTokens: 100 };
/** Cost of one run of each model at the usage above. */
export const runCost = { mini: 0.00021, mid: 0.00056, max: 0.0035, grader: 0.00006 } as const;

/** The text of a chat request's last message. */
export function lastMessage(request: MockRequest): string {
  const messages = (request.body as { messages: { content: string }[] }).messages;
  return messages[messages.length - 1]!.content;
}

/**
 * One mock provider with three tiers of visibly different price (`mini`, `mid`, `max`) and a judge
 * (`grader`, in the hot tier), each answering from a table by the prompt it is asked.
 */
export async function startEvalFixture(
  answers: Record<'mini' | 'mid' | 'max', Record<string, string>>,
  grades: Record<string, string> = {},
) {
  const mock = await startMockOpenAI();
  for (const model of ['mini', 'mid', 'max'] as const) {
    mock.setReply(model, (request) => ({ content: answers[model][lastMessage(request)] ?? 'I do not know.', usage }));
  }
  // The grader answers by the graded answer's text: <answer>...</answer> in the judge's message.
  mock.setReply('grader', (request) => {
    const system = (request.body as { messages: { content: string }[] }).messages[0]!.content;
    if (system !== JUDGE_RUBRIC) return { status: 400, error: { message: 'not a judge request' } };
    const answer = /<answer>\n([\s\S]*)\n<\/answer>/.exec(lastMessage(request))?.[1] ?? '';
    return {
      content: grades[answer] ?? '{"score": 0.5, "reason": "no grade scripted"}',
      usage: { promptTokens: 200, completionTokens: 50 },
    };
  });
  const catalog = defineCatalog({
    providers: { local: { apiKey: 'sk-eval-test-0123456789', baseURL: mock.url } },
    tiers: ['economy', 'warm', 'hot'],
    models: [
      { id: 'mini', provider: 'local', tier: 'economy', inputCostPerMTok: 0.15, outputCostPerMTok: 0.6, contextWindow: 128_000 },
      { id: 'mid', provider: 'local', tier: 'warm', inputCostPerMTok: 0.4, outputCostPerMTok: 1.6, contextWindow: 128_000 },
      { id: 'max', provider: 'local', tier: 'hot', inputCostPerMTok: 2.5, outputCostPerMTok: 10, contextWindow: 128_000 },
      { id: 'grader', provider: 'local', tier: 'hot', inputCostPerMTok: 0.1, outputCostPerMTok: 0.8, contextWindow: 128_000 },
    ],
  });
  const options = { catalog, retry: { retries: 1, minTimeoutMs: 0, maxTimeoutMs: 0 } } satisfies TieredClientOptions<typeof catalog>;
  return { mock, catalog, options, client: () => createTieredClient(options), close: () => mock.close() };
}

/** The chat requests the mock received for a model. */
export function chatRequests(mock: MockOpenAI, model: string): MockRequest[] {
  return mock.requestsFor(model).filter((r) => r.path === '/v1/chat/completions');
}
