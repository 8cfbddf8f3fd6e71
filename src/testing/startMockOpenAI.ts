import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomHex } from './completionBodies.js';
import { planEmbeddings } from './embeddingBodies.js';
import { errorBody, unauthorizedBody } from './errorBodies.js';
import { ConnectionLog } from './ConnectionLog.js';
import { Exchange } from './Exchange.js';
import { InFlightLog } from './InFlightLog.js';
import type { MockOpenAI, MockOpenAIOptions } from './MockOpenAI.js';
import type { MockReply } from './MockReply.js';
import type { MockRequest } from './MockRequest.js';
import { computeReply, ReplyScript } from './ReplyScript.js';
import { beginReply } from './beginReply.js';
import type { MockReplyFunction } from './MockReplyFunction.js';
import { validateScripted } from './validateReply.js';
import { RequestLog } from './RequestLog.js';
import { readJsonBody } from './readJsonBody.js';
import { respondToChat } from './respondToChat.js';
import { respondToEmbeddings } from './respondToEmbeddings.js';
import { respondToResponses } from './respondToResponses.js';
import { ResponseMemory } from './ResponseMemory.js';
import { PromptCache } from './PromptCache.js';
import { checkResponseRequest } from './responseRequest.js';
import { sendJson } from './sendJson.js';

/**
 * Starts a real HTTP server on loopback that speaks the OpenAI Chat Completions API
 * (`POST /v1/chat/completions`, JSON and SSE), the Responses API (`POST /v1/responses`, JSON and
 * SSE), the Embeddings API (`POST /v1/embeddings`) and `GET /v1/models` (scripted by `modelsReply`),
 * answers each model as scripted, and records every request. Give `mock.url` to
 * the openai client as `baseURL`, and `close()` the mock when done. It keeps the last `maxRequests`
 * requests (10,000 by default) in `requests`.
 *
 * Embeddings are deterministic hashed bags of words (see `hashedEmbedding`), 256 dimensions unless
 * the request asks for `dimensions`, as floats or base64 per `encoding_format`: the same text
 * always gets the same vector, texts sharing most of their words get close vectors, unrelated
 * texts distant ones. A model's scripted `status`, `headers`, `error`, `latencyMs` and `fault`
 * apply to its embeddings requests as to its chat requests, and `usage.promptTokens` too.
 *
 * A model's reply shapes its Responses requests as its chat requests (see `MockReply` for the
 * fields that apply): a `message` item with the content, `function_call` items for the tool
 * calls, usage in `input_tokens`/`output_tokens`. The mock remembers the ids of the last 10,000
 * responses it produced (not those of requests with `store: false`, which OpenAI does not keep)
 * and refuses a `previous_response_id` it does not know with OpenAI's 400
 * `previous_response_not_found`, so a test can tell which mock a stateful request reached.
 */
export async function startMockOpenAI(options: MockOpenAIOptions = {}): Promise<MockOpenAI> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new TypeError(`host must be a loopback address, got '${host}'`);
  const maxRequests = options.maxRequests ?? 10_000;
  if (!(Number.isInteger(maxRequests) ? maxRequests >= 1 : maxRequests === Infinity)) {
    throw new TypeError(`maxRequests must be an integer >= 1 or Infinity, got ${String(maxRequests)}`);
  }
  if (options.promptCache !== undefined && typeof options.promptCache !== 'boolean') {
    throw new TypeError(`promptCache must be a boolean, got ${String(options.promptCache)}`);
  }
  const promptCache = options.promptCache === true ? new PromptCache() : undefined;
  const script = new ReplyScript(options.models, options.defaultReply);
  let modelsReply: MockReply | MockReplyFunction = validateScripted(options.modelsReply ?? {}, 'modelsReply');
  const log = new RequestLog(maxRequests);
  const produced = new ResponseMemory(10_000);
  const open = new Set<Exchange>();
  const inFlight = new InFlightLog();
  const startedAt = Math.floor(Date.now() / 1000);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAt = Date.now();
    const exchange = new Exchange(req, res);
    open.add(exchange);
    void exchange.settled.then(() => open.delete(exchange));
    const parsed = await readJsonBody(req);
    if (parsed === 'aborted') return;

    const path = new URL(req.url ?? '/', 'http://mock.invalid').pathname;
    const method = req.method ?? 'GET';
    const body = isRecord(parsed.body) ? parsed.body : undefined;
    const model = typeof body?.['model'] === 'string' ? body['model'] : undefined;
    if (model !== undefined) inFlight.enter(exchange.settled);
    const request = log.record(
      {
        method,
        path,
        model,
        body: parsed.body,
        headers: flatHeaders(req),
        stream: body?.['stream'] === true,
        remotePort: req.socket.remotePort ?? 0,
        receivedAt,
      },
      exchange,
    );

    const headers = { 'x-request-id': `req_${randomHex(32)}` };
    const authorization = req.headers.authorization;
    if (options.apiKey !== undefined && authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, unauthorizedBody(authorization), headers);
    }
    if (method === 'GET' && path === '/v1/models') {
      let reply: MockReply;
      try {
        reply = typeof modelsReply === 'function' ? computeReply(modelsReply, 'the modelsReply function', request) : modelsReply;
      } catch (error) {
        return sendJson(res, 500, errorBody(500, { message: `Mock reply error: ${(error as Error).message}` }), headers);
      }
      const begun = await beginReply(res, exchange, reply, headers, '{"object": "list", "data": [');
      if (begun === undefined) return;
      const data = script.knownModels().map((id) => ({ id, object: 'model', created: startedAt, owned_by: 'mock-openai' }));
      return sendJson(res, begun.status, { object: 'list', data }, begun.headers);
    }
    const endpoint = method === 'POST' ? ENDPOINTS[path] : undefined;
    if (endpoint === undefined) {
      return sendJson(res, 404, errorBody(404, { message: `Invalid URL (${method} ${path})`, code: null }), headers);
    }
    if (!parsed.ok || body === undefined) {
      const message =
        'We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.';
      return sendJson(res, 400, errorBody(400, { message }), headers);
    }
    if (model === undefined) {
      return sendJson(res, 400, errorBody(400, { message: 'you must provide a model parameter' }), headers);
    }
    // Invalid requests are refused before the script is consulted, so they consume no queued reply.
    if (endpoint === 'embeddings') {
      const plan = planEmbeddings(body);
      if ('error' in plan) return sendJson(res, 400, errorBody(400, plan.error), headers);
      const reply = replyOr500(res, model, request, headers);
      if (reply) await respondToEmbeddings(res, exchange, plan, model, reply, headers);
      return;
    }
    if (endpoint === 'responses') {
      const checked = checkResponseRequest(body, produced);
      if ('error' in checked) return sendJson(res, 400, errorBody(400, checked.error), headers);
      const reply = replyOr500(res, model, request, headers);
      if (reply)
        await respondToResponses(res, exchange, body, checked, reply, headers, produced, promptCache?.response(model, body, reply));
      return;
    }
    if (!Array.isArray(body['messages'])) {
      const error = { message: "Missing required parameter: 'messages'.", param: 'messages', code: 'missing_required_parameter' };
      return sendJson(res, 400, errorBody(400, error), headers);
    }
    const reply = replyOr500(res, model, request, headers);
    if (reply) await respondToChat(res, exchange, body, model, reply, headers, promptCache?.chat(model, body, reply));
  };

  /** The scripted reply, or a 500 sent (and `undefined`) when a reply function failed. */
  const replyOr500 = (res: ServerResponse, model: string, request: MockRequest, headers: Record<string, string>): MockReply | undefined => {
    try {
      return script.take(model, request);
    } catch (error) {
      sendJson(res, 500, errorBody(500, { message: `Mock reply error: ${(error as Error).message}` }), headers);
      return undefined;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the mock should fail loudly as a 500, not hang the test that met it.
      if (!res.headersSent) sendJson(res, 500, errorBody(500, { message: `Mock server error: ${String(error)}` }), {});
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const connections = new ConnectionLog(server);
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    port,
    requests: log.requests,
    connections,
    inFlight,
    requestsFor: (model) => log.forModel(model),
    setReply: (model, reply) => script.setReply(model, reply),
    setModelsReply: (reply) => {
      modelsReply = validateScripted(reply, 'setModelsReply()');
    },
    enqueue: (model, ...replies) => script.enqueue(model, replies),
    waitForRequests: (count) => log.waitFor(count),
    reset: () => {
      log.clear();
      script.clearQueues();
      connections.reset();
      inFlight.reset();
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const exchange of open) exchange.markDroppedByMock();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The POST endpoints the mock speaks, by path. */
const ENDPOINTS: Partial<Record<string, 'chat' | 'embeddings' | 'responses'>> = {
  '/v1/chat/completions': 'chat',
  '/v1/embeddings': 'embeddings',
  '/v1/responses': 'responses',
};

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
