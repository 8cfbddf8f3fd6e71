import fc from 'fast-check';
import type { Body, Ending, Frame, HeaderSet, Json, RawResponse, RedirectTarget, Reply, Script } from './behaviours.js';

/**
 * Arbitraries of hostile upstream behaviour, each named after what it models. Weights favour the
 * well-formed case where a run needs one to get anywhere (a first token before a broken chunk),
 * and keep the slow cases (a server that hangs until a timeout) rare, so that a run takes
 * milliseconds.
 */

const printableAscii = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));

/** A short text, sometimes echoing the API key (`$KEY`) or the secret header (`$HDR`) the request carried. */
export const echoingText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '$KEY',
      '$HDR',
      'Incorrect API key provided: $KEY. You can find your API key at https://platform.openai.com/account/api-keys.',
      'invalid x-gateway-key: $HDR',
      'Authorization: Bearer $KEY',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 6 }), fc.constantFrom('$KEY', '$HDR'), fc.string({ maxLength: 6 }))
      .map(([before, secret, after]) => before + secret + after),
  },
);

/** The text of a chunk or an answer: any Unicode (multi-byte, so that a split can fall inside a character), sometimes an echo. */
export const answerText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 10, unit: 'grapheme' }) },
  { weight: 1, arbitrary: echoingText },
);

/** An object key: OpenAI's own, any string, or an echoed secret (a gateway that keys a map by the key it was sent). */
const jsonKey = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('error', 'message', 'code', 'type', 'status', 'param', 'choices', 'object', 'id', 'data', 'detail', 'usage'),
  },
  { weight: 4, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom('$KEY', '$HDR') },
);

/** Any JSON value, its strings sometimes echoing a secret. */
export const jsonValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    echoingText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(jsonKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** An echoed secret nested `depth` levels deep in arrays and objects: deeper than a scrubber may walk. */
export const deeplyNested: fc.Arbitrary<Json> = fc
  .record({ depth: fc.integer({ min: 1, max: 24 }), leaf: echoingText, inArrays: fc.boolean() })
  .map(({ depth, leaf, inArrays }) => {
    let value: Json = leaf;
    for (let i = 0; i < depth; i++) value = inArrays ? [value] : { detail: value };
    return value;
  });

/** A number as a provider may report it: a count, negative, fractional, huge, a string, null. */
const numberish: fc.Arbitrary<Json> = fc.oneof(
  fc.integer({ min: -1_000, max: 10 ** 12 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom<Json>('12', 'many', null, true),
);

/** The `usage` of a completion or the usage chunk, as an odd provider reports it. */
export const oddUsage: fc.Arbitrary<Json> = fc.oneof(
  fc.record(
    {
      prompt_tokens: numberish,
      completion_tokens: numberish,
      total_tokens: numberish,
      prompt_tokens_details: fc.oneof(jsonValue, fc.record({ cached_tokens: numberish })),
    },
    { requiredKeys: [] },
  ),
  jsonValue,
);

/** One element of a `choices` array, whatever it holds: null, a number, a message without content, a delta that is not an object. */
export const junkChoice: fc.Arbitrary<Json> = fc.oneof(
  jsonValue,
  fc.record(
    {
      index: numberish,
      message: fc.oneof(jsonValue, fc.record({ role: jsonValue, content: jsonValue, tool_calls: jsonValue }, { requiredKeys: [] })),
      delta: fc.oneof(jsonValue, fc.record({ role: jsonValue, content: jsonValue, tool_calls: jsonValue }, { requiredKeys: [] })),
      finish_reason: jsonValue,
    },
    { requiredKeys: [] },
  ),
);

/**
 * An error status, sometimes a number the client has never heard of. Not 421: on a 421 fetch
 * itself sends the request again (the Fetch standard's retry on a new connection), a request the
 * library never made and that may land after its call settled.
 */
const errorStatus = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504) },
  { weight: 1, arbitrary: fc.integer({ min: 400, max: 599 }).filter((status) => status !== 421) },
);

/** The error object of a body or an SSE event: OpenAI's shape with random members, or any value. */
export const errorObject: fc.Arbitrary<Json> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      {
        message: echoingText,
        type: fc.constantFrom('invalid_request_error', 'server_error', 'rate_limit_error'),
        code: jsonValue,
        status: errorStatus,
      },
      { requiredKeys: ['message'] },
    ),
  },
  { weight: 1, arbitrary: jsonValue },
  { weight: 1, arbitrary: fc.record({ message: fc.constant('see details'), details: deeplyNested }) },
);

/** Bytes that are not valid UTF-8: lone continuation bytes, a cut multi-byte sequence. */
export const invalidUtf8 = fc.oneof(
  fc.array(fc.integer({ min: 0x80, max: 0xbf }), { minLength: 1, maxLength: 4 }),
  fc.constantFrom([0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xff, 0xfe]),
);

/** A response body, from a well-formed completion to bytes that are not text; `huge` when allowed. */
const bodyOf = (huge: boolean): fc.Arbitrary<Body> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('completion'),
        content: answerText,
        finishReason: fc.constantFrom<string | null>('stop', 'length', 'tool_calls', 'content_filter', null),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('withoutChoices'), fields: fc.dictionary(jsonKey, jsonValue, { maxKeys: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('choicesNotArray'), choices: jsonValue.filter((v) => !Array.isArray(v)) }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('junkChoices'), choices: fc.array(junkChoice, { minLength: 1, maxLength: 3 }) }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('oddUsage'), usage: oddUsage }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('errorObject'), error: errorObject }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('json'), value: jsonValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated'), at: fc.integer({ min: 0, max: 300 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('text'),
        text: fc.oneof(echoingText, fc.constant('<html><body><h1>502 Bad Gateway</h1>$KEY</body></html>')),
      }),
    },
    {
      weight: huge ? 1 : 0,
      arbitrary: fc.record({ kind: fc.constant('huge'), chars: fc.integer({ min: 2_000, max: 200_000 }), echo: echoingText }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes'), bytes: invalidUtf8 }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'empty' } as const) },
  );

export const body = bodyOf(true);

/**
 * A body for a response that breaks HTTP: never huge. Bytes the client's HTTP parser does not
 * expect (a 204's body, bytes past content-length) are left unread by fetch; more than the
 * socket buffers hold and the connection stays open until the server gives up, with plain fetch
 * as much as through the library, and this server never gives up.
 */
const brokenHttpBody = bodyOf(false);

const headerValue = fc.oneof(
  fc.string({ maxLength: 12, unit: printableAscii }),
  fc.constantFrom('$KEY', 'Bearer $KEY', '$HDR'),
  fc.integer({ min: -10, max: 10 ** 6 }).map(String),
  fc.constantFrom(
    '1e309',
    'NaN',
    '-0',
    '0.0001',
    '99999999999999999999',
    'Wed, 21 Oct 2015 07:28:00 GMT',
    'Fri, 31 Dec 9999 23:59:59 GMT',
    '',
  ),
);

/** Headers besides the status: a content type that may lie, and `retry-after` garbage, echoes, encodings. */
export function headerSet(honestType: string): fc.Arbitrary<HeaderSet> {
  return fc.record({
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant(honestType) },
      {
        weight: 2,
        arbitrary: fc.constantFrom<string | null>(
          null,
          'application/json',
          'text/event-stream',
          'text/html',
          'text/plain',
          'application/json; charset=latin1',
          'application/octet-stream',
          'garbage',
        ),
      },
    ),
    others: fc.array(
      fc.tuple(
        fc.constantFrom(
          'retry-after',
          'retry-after-ms',
          'x-request-id',
          'x-ratelimit-remaining-requests',
          'x-ratelimit-reset-requests',
          'x-ratelimit-remaining-tokens',
          'content-encoding',
          'www-authenticate',
          'set-cookie',
          'x-echo',
          'x-echo-$KEY',
        ),
        headerValue,
      ),
      { maxLength: 3 },
    ),
  });
}

/** How a response ends: mostly properly, sometimes with a reset, rarely never (a timeout ends it). */
export const ending: fc.Arbitrary<Ending> = fc.oneof(
  { weight: 40, arbitrary: fc.constant('end' as const) },
  { weight: 3, arbitrary: fc.constant('reset' as const) },
  { weight: 1, arbitrary: fc.constant('hang' as const) },
);

/** A plain HTTP response: mostly 200, the rest any status, with any body. */
export const plainResponse: fc.Arbitrary<Reply> = fc.record({
  kind: fc.constant('respond'),
  status: fc.oneof(
    { weight: 5, arbitrary: fc.constant(200) },
    { weight: 4, arbitrary: errorStatus },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
  ),
  headers: headerSet('application/json'),
  body,
  ending,
});

const finishReason = fc.constantFrom('stop', 'length', 'tool_calls', 'content_filter', 'unknown_reason');

/** A frame in the middle of a stream: mostly a text chunk, else any of the ways a stream goes wrong. */
export const midStreamFrame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 24, arbitrary: fc.record({ kind: fc.constant('chunk'), content: answerText }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('comment'), text: fc.string({ maxLength: 8, unit: printableAscii }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('line'),
      line: fc.constantFrom('id: 7', 'retry: 10', 'foo: bar', '', 'data', 'data:', ':', 'event:'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('event'),
      event: fc.oneof(fc.constantFrom('error', 'message', 'thread.run.failed', 'ping'), fc.string({ maxLength: 6, unit: printableAscii })),
      data: fc.oneof(
        errorObject.map((error) => JSON.stringify({ error, message: 'stream failed: $KEY' })),
        echoingText,
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('data'),
      data: fc.oneof(fc.constant({}), fc.constant({ object: 'chat.completion.chunk', choices: null }), jsonValue),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('errorData'), error: errorObject }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('junkChoices'), choices: fc.array(junkChoice, { minLength: 1, maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('oddUsage'), usage: oddUsage }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage'), text: echoingText }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes'), bytes: invalidUtf8 }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'usage' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'done' } as const) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge'), chars: fc.integer({ min: 2_000, max: 200_000 }) }) },
);

/** The frames of a stream: a middle, then usually a finish chunk, the usage chunk and `[DONE]`, then maybe more. */
export const streamFrames: fc.Arbitrary<Frame[]> = fc
  .record({
    middle: fc.array(midStreamFrame, { maxLength: 6 }),
    finish: fc.option(finishReason, { nil: undefined, freq: 5 }),
    usage: fc.boolean(),
    done: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    after: fc.array(midStreamFrame, { maxLength: 2 }),
  })
  .map(({ middle, finish, usage, done, after }) => [
    ...middle,
    ...(finish === undefined ? [] : [{ kind: 'chunk', content: '', finishReason: finish } as const]),
    ...(usage ? [{ kind: 'usage' } as const] : []),
    ...(done ? [{ kind: 'done' } as const] : []),
    ...after,
  ]);

/** A server-sent event stream, its bytes cut anywhere between writes, LF or CRLF, ended in any way. */
export const eventStream: fc.Arbitrary<Reply> = fc.record({
  kind: fc.constant('stream'),
  status: fc.oneof({ weight: 8, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: errorStatus }),
  headers: headerSet('text/event-stream'),
  frames: streamFrames,
  lineEnd: fc.constantFrom('\n' as const, '\r\n' as const),
  splits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
  ending,
});

/** A redirect, to the same origin, another one, or nowhere. */
export const redirect: fc.Arbitrary<Reply> = fc.record({
  kind: fc.constant('redirect'),
  status: fc.constantFrom(301, 302, 303, 307, 308),
  to: fc.constantFrom<RedirectTarget>('otherOrigin', 'otherOriginRelative', 'otherOriginWithKey', 'sameOrigin', 'garbage', 'none'),
});

/** A response that breaks HTTP: interim 1xx, a 204 with a body, a lying length, a broken status line or chunking. */
export const brokenHttp: fc.Arbitrary<Reply> = fc.record({
  kind: fc.constant('raw'),
  raw: fc.oneof<fc.Arbitrary<RawResponse>[]>(
    fc.record({ kind: fc.constant('informational'), status: fc.constantFrom(100, 102, 103, 150, 199), then: brokenHttpBody }),
    fc.record({ kind: fc.constant('bodyWithoutBody'), status: fc.constantFrom(204 as const, 304 as const), body: brokenHttpBody }),
    fc.record({ kind: fc.constant('lyingLength'), delta: fc.integer({ min: -20, max: 20 }).filter((d) => d !== 0), body: brokenHttpBody }),
    fc.record({
      kind: fc.constant('garbage'),
      text: fc.constantFrom(
        'HTTP/1.1 abc OK\r\n\r\n',
        'HTTP/1.1 2000 Huge\r\n\r\n',
        'garbage\r\n\r\n',
        'HTTP/1.1 200 OK\r\nContent-Ty',
        'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 9\r\n\r\nhello',
        'HTTP/1.1 401 $KEY\r\ncontent-length: 0\r\n\r\n',
        'HTTP/1.1 500 Oops\r\nx-echo: $KEY\r\ncontent-length: 0\r\n\r\n',
        '',
      ),
    }),
    fc.record({ kind: fc.constant('badChunked'), body: brokenHttpBody }),
  ),
  ending: fc.constantFrom('end' as const, 'reset' as const),
});

/** What the upstream does with a non-streaming request: mostly a plain response, anything else possible. */
export const replyToPlainRequest: fc.Arbitrary<Reply> = fc.oneof(
  { weight: 60, arbitrary: plainResponse },
  { weight: 8, arbitrary: eventStream },
  { weight: 8, arbitrary: redirect },
  { weight: 8, arbitrary: brokenHttp },
  { weight: 4, arbitrary: fc.constant({ kind: 'reset' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hang' } as const) },
);

/** What the upstream does with a streaming request: mostly an event stream, anything else possible. */
export const replyToStreamingRequest: fc.Arbitrary<Reply> = fc.oneof(
  { weight: 60, arbitrary: eventStream },
  { weight: 10, arbitrary: plainResponse },
  { weight: 6, arbitrary: redirect },
  { weight: 6, arbitrary: brokenHttp },
  { weight: 4, arbitrary: fc.constant({ kind: 'reset' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hang' } as const) },
);

/** The replies of one run: the first request gets the first, and so on; the last one repeats. */
export const script = (reply: fc.Arbitrary<Reply>): fc.Arbitrary<Script> => fc.array(reply, { minLength: 1, maxLength: 4 });

/** How the caller makes a non-streaming call. */
export type PlainCaller = { readonly api: 'create' | 'tieredChat' };

/** How the caller makes and reads a streaming call. */
export type StreamingCaller = {
  readonly api: 'create' | 'tieredChat';
  /**
   * `all`: a `for await` to the end; `text`: `textStream`; `final`: only `final()`;
   * `break`: leaves the loop after that many chunks; `abort`: aborts `options.signal` after that many.
   */
  readonly read: 'all' | 'text' | 'final' | { readonly break: number } | { readonly abort: number };
};

export const plainCaller: fc.Arbitrary<PlainCaller> = fc.record({ api: fc.constantFrom('create' as const, 'tieredChat' as const) });

export const streamingCaller: fc.Arbitrary<StreamingCaller> = fc.record({
  api: fc.constantFrom('create' as const, 'tieredChat' as const),
  read: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('all' as const, 'text' as const, 'final' as const) },
    { weight: 1, arbitrary: fc.record({ break: fc.integer({ min: 0, max: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ abort: fc.integer({ min: 0, max: 3 }) }) },
  ),
});
