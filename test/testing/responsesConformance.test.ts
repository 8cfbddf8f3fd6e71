import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { loadOpenApiValidator, type SchemaValidator } from './openapiValidator.js';

let validate: SchemaValidator;
let mock: MockOpenAI;

beforeAll(async () => {
  // Compiling the schemas takes a while: once for the file.
  validate = loadOpenApiValidator();
  mock = await startMockOpenAI({
    models: {
      'gpt-tools': { content: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }], chunkChars: 4 },
      'gpt-cut-short': { finishReason: 'length' },
      'gpt-failing': { failAfterChunks: 1 },
      'gpt-no-usage': { usage: null },
    },
  });
});
afterAll(() => mock?.close());

/** The component schema of each event the mock sends, by its `type`. */
const EVENT_SCHEMAS: Record<string, string> = {
  'response.created': 'ResponseCreatedEvent',
  'response.in_progress': 'ResponseInProgressEvent',
  'response.output_item.added': 'ResponseOutputItemAddedEvent',
  'response.content_part.added': 'ResponseContentPartAddedEvent',
  'response.output_text.delta': 'ResponseTextDeltaEvent',
  'response.output_text.done': 'ResponseTextDoneEvent',
  'response.content_part.done': 'ResponseContentPartDoneEvent',
  'response.output_item.done': 'ResponseOutputItemDoneEvent',
  'response.function_call_arguments.delta': 'ResponseFunctionCallArgumentsDeltaEvent',
  'response.function_call_arguments.done': 'ResponseFunctionCallArgumentsDoneEvent',
  'response.completed': 'ResponseCompletedEvent',
  'response.incomplete': 'ResponseIncompleteEvent',
  'response.failed': 'ResponseFailedEvent',
};

/** POSTs a Responses request and returns the raw parsed response body. */
async function post(body: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${mock.url}/responses`, { method: 'POST', body: JSON.stringify(body) });
  return response.json();
}

/** POSTs a streaming Responses request and returns every event's `data:` payload, parsed. */
async function postStream(body: Record<string, unknown>): Promise<Array<{ type: string }>> {
  const response = await fetch(`${mock.url}/responses`, { method: 'POST', body: JSON.stringify({ ...body, stream: true }) });
  const blocks = (await response.text()).split('\n\n').filter(Boolean);
  return blocks.map((block) => JSON.parse(block.split('\n').at(-1)!.slice('data: '.length)) as { type: string });
}

function expectValid(schemaName: string, value: unknown): void {
  const { valid, errors } = validate(schemaName, value);
  expect(errors, `${schemaName}: ${JSON.stringify(value)}`).toEqual([]);
  expect(valid).toBe(true);
}

/** Validates an event against the union of stream events and against its own type's schema. */
function expectValidEvent(event: { type: string }): void {
  expectValid('ResponseStreamEvent', event);
  const schema = EVENT_SCHEMAS[event.type];
  expect(schema, `a schema for ${event.type}`).toBeDefined();
  expectValid(schema!, event);
}

describe('conformance of /v1/responses to the official OpenAPI description', () => {
  it('a text response, a tool-call response, an incomplete one and one without usage match Response', async () => {
    const text = await post({ model: 'gpt-test', input: 'Hi!', instructions: 'Be brief.' });
    expect(text).toMatchObject({ status: 'completed', output: [{ type: 'message' }] });
    expectValid('Response', text);

    const tools = await post({
      model: 'gpt-tools',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Weather in Oslo?' }] }],
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} }, strict: false }],
    });
    expect(tools).toMatchObject({ output: [{ type: 'message' }, { type: 'function_call' }] });
    expectValid('Response', tools);

    expectValid('Response', await post({ model: 'gpt-cut-short', input: 'Hi!', max_output_tokens: 16 }));
    expectValid('Response', await post({ model: 'gpt-no-usage', input: 'Hi!' }));
  });

  it('every event of a text stream and of a tool-call stream matches its schema and ResponseStreamEvent', async () => {
    const text = await postStream({ model: 'gpt-test', input: 'Hi!' });
    const tools = await postStream({ model: 'gpt-tools', input: 'Weather in Oslo?' });

    expect(tools.map((event) => event.type)).toContain('response.function_call_arguments.delta');
    for (const event of [...text, ...tools]) expectValidEvent(event);
  });

  it('the events ending an incomplete and a failed stream match their schemas', async () => {
    const incomplete = await postStream({ model: 'gpt-cut-short', input: 'Hi!' });
    const failed = await postStream({ model: 'gpt-failing', input: 'Hi!' });

    expect(incomplete.at(-1)?.type).toBe('response.incomplete');
    expect(failed.at(-1)?.type).toBe('response.failed');
    for (const event of [...incomplete, ...failed]) expectValidEvent(event);
  });

  it('the errors for an unknown previous response and an invalid input match ErrorResponse', async () => {
    expectValid('ErrorResponse', await post({ model: 'gpt-test', input: 'Hi!', previous_response_id: 'resp_unknown' }));
    expectValid('ErrorResponse', await post({ model: 'gpt-test', input: 42 }));
  });

  it('the requests the openai client sends, and the mock accepts, match CreateResponse', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 });
    const before = mock.requests.length;
    const first = await client.responses.create({
      model: 'gpt-test',
      instructions: 'Be brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Weather in Oslo?' }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"celsius":4}' },
      ],
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} }, strict: true }],
      max_output_tokens: 100,
    });
    const stream = await client.responses.create({
      model: 'gpt-test',
      input: 'And tomorrow?',
      previous_response_id: first.id,
      stream: true,
    });
    for await (const _event of stream);

    const sent = mock.requests.slice(before);
    expect(sent.map((request) => request.stream)).toEqual([false, true]);
    for (const request of sent) expectValid('CreateResponse', request.body);
  });

  describe('the validation itself', () => {
    it('rejects a response with a status outside the enum, or without output', async () => {
      const body = (await post({ model: 'gpt-test', input: 'Hi!' })) as Record<string, unknown>;
      expect(validate('Response', { ...body, status: 'bogus' }).valid).toBe(false);
      const { output: _output, ...withoutOutput } = body;
      expect(validate('Response', withoutOutput).valid).toBe(false);
    });

    it('rejects a text delta without its sequence_number, and an event of a type it does not know', async () => {
      const delta = (await postStream({ model: 'gpt-test', input: 'Hi!' })).find((event) => event.type === 'response.output_text.delta')!;
      const { sequence_number: _sequence, ...unnumbered } = delta as Record<string, unknown>;
      expect(validate('ResponseTextDeltaEvent', unnumbered).valid).toBe(false);
      expect(validate('ResponseStreamEvent', unnumbered).valid).toBe(false);
      expect(validate('ResponseStreamEvent', { ...delta, type: 'response.bogus' }).valid).toBe(false);
    });

    it('accepts the nulls the schemas allow (error: null) but not a wrong type there', async () => {
      const body = (await post({ model: 'gpt-test', input: 'Hi!' })) as Record<string, unknown>;
      expect(body['error']).toBeNull();
      expect(validate('Response', body).valid).toBe(true);
      expect(validate('Response', { ...body, error: 'none' }).valid).toBe(false);
    });

    it('rejects a request whose input is a number, which the mock refuses too', () => {
      expect(validate('CreateResponse', { model: 'gpt-test', input: 42 }).valid).toBe(false);
      expect(validate('CreateResponse', { model: 'gpt-test', input: 'Hi!' }).valid).toBe(true);
    });

    it('accepts a message item with content parts (two branches of a discriminated oneOf) but not an unknown role', () => {
      const message = { role: 'user', content: [{ type: 'input_text', text: 'Hi!' }] };
      expect(validate('CreateResponse', { model: 'gpt-test', input: [message] }).valid).toBe(true);
      expect(validate('CreateResponse', { model: 'gpt-test', input: [{ ...message, role: 'narrator' }] }).valid).toBe(false);
    });
  });
});
