/**
 * A streaming route handler, Next.js style (`app/api/chat/route.ts`): `POST` streams a routed
 * completion to the browser with `new Response(stream.toReadableStream())`, and the browser reads it
 * with `openai`'s `ChatCompletionStream.fromReadableStream()`. The first deployment resets before its
 * first token: the fallback happens before the response starts, so the browser never sees it.
 * Runs on the embedded mock providers, no API key needed:
 *   npx tsx examples/route-handler.ts
 */
import { ChatCompletionStream, type ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { AllModelsFailedError, createTieredClient, defineCatalog, type TieredClient } from 'tiered-llm';
import { startMockOpenAI } from 'tiered-llm/testing';

// In the app, the client is made once at module scope and reused by every request.
let client: TieredClient;

/** The route handler: any framework whose handlers take a `Request` and return a `Response`. */
export async function POST(request: Request): Promise<Response> {
  const { messages } = (await request.json()) as { messages: ChatCompletionMessageParam[] };
  try {
    // Resolves once a deployment has sent its first token; failures before it fell back unseen.
    const stream = await client.chat.completions.create({ model: 'economy', messages, stream: true }, { signal: request.signal });
    return new Response(stream.toReadableStream(), { headers: { 'content-type': 'application/x-ndjson' } });
  } catch (error) {
    // Every deployment failed before the first token: nothing was streamed yet, so a plain error response.
    if (AllModelsFailedError.isInstance(error)) return Response.json({ error: error.code }, { status: 503 });
    throw error;
  }
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const us = await startMockOpenAI({ models: { 'fast-model': { fault: 'reset' } } });
  const eu = await startMockOpenAI({ models: { 'fast-model': { content: 'Streamed from the route handler.', chunkChars: 6 } } });
  const catalog = defineCatalog({
    providers: { us: { apiKey: 'sk-demo-us', baseURL: us.url }, eu: { apiKey: 'sk-demo-eu', baseURL: eu.url } },
    tiers: ['economy'],
    models: [
      { id: 'fast-model', provider: 'us', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
      { id: 'fast-model', provider: 'eu', tier: 'economy', inputCostPerMTok: 0.1, outputCostPerMTok: 0.4, contextWindow: 16_000 },
    ],
  });
  client = createTieredClient({ catalog, retry: { retries: 0 } });
  client.on('fallback', (e) => log(`server: ${e.fromProvider}/${e.from} -> ${e.toProvider}/${e.to} (${e.reason})`));
  client.on('request:end', (e) => log(`server: answered by ${e.provider}/${e.model}, $${e.costUsd.toFixed(8)}`));

  // What the framework does with an incoming request.
  const ask = () =>
    POST(
      new Request('http://localhost/api/chat', {
        method: 'POST',
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Say something.' }] }),
      }),
    );
  const response = await ask();
  log(`status: ${response.status} ${response.headers.get('content-type')}`);

  // The browser: openai's own reader of that body, with its events and the assembled completion.
  const deltas: string[] = [];
  const reader = ChatCompletionStream.fromReadableStream(response.body!);
  reader.on('content', (delta) => deltas.push(delta));
  const completion = await reader.finalChatCompletion();
  log(`browser: ${deltas.length} deltas, "${completion.choices[0]?.message.content}"`);

  // Every deployment down: the handler answers 503 before streaming anything. The same conversation
  // (its first message) goes first where it was last answered, eu (conversation affinity), then to us.
  eu.setReply('fast-model', { status: 500 });
  const failed = await ask();
  log(`status: ${failed.status} ${JSON.stringify(await failed.json())}`);

  await client.close();
  await Promise.all([us.close(), eu.close()]);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
