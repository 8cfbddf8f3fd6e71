/**
 * What a hostile upstream does with one request, as plain data: fast-check generates it, shrinks it
 * and prints it, and the hostile server (hostileServer.ts) plays it. Texts may hold the placeholders
 * `$KEY` and `$HDR`, which the server replaces with the API key and the secret header value the
 * request carried: an upstream that echoes credentials, as some gateways do in error messages.
 */

/** A JSON value whose strings (keys too) may echo the request's secrets. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** A response body, by what it models. */
export type Body =
  /** A well-formed `chat.completion`. */
  | { readonly kind: 'completion'; readonly content: string; readonly finishReason: string | null }
  /** A JSON object without `choices` (an OpenAI-compatible gateway's own shape). */
  | { readonly kind: 'withoutChoices'; readonly fields: { readonly [key: string]: Json } }
  /** A completion whose `choices` is not an array. */
  | { readonly kind: 'choicesNotArray'; readonly choices: Json }
  /** A completion whose `choices` is an array of anything: `[null]`, `[{}]`, a message without content. */
  | { readonly kind: 'junkChoices'; readonly choices: readonly Json[] }
  /** A well-formed completion whose `usage` is anything: negative, strings, missing fields. */
  | { readonly kind: 'oddUsage'; readonly usage: Json }
  /** `{ "error": ... }`, as some gateways answer failures, even with a 200. */
  | { readonly kind: 'errorObject'; readonly error: Json }
  /** Any JSON value: an array, a number, null, a string. */
  | { readonly kind: 'json'; readonly value: Json }
  /** A well-formed completion cut after this many characters. */
  | { readonly kind: 'truncated'; readonly at: number }
  /** Not JSON: an HTML error page, a proxy's text. */
  | { readonly kind: 'text'; readonly text: string }
  /** An error object whose message is this many characters long, the echo at its end. */
  | { readonly kind: 'huge'; readonly chars: number; readonly echo: string }
  /** Bytes that are not UTF-8. */
  | { readonly kind: 'bytes'; readonly bytes: readonly number[] }
  | { readonly kind: 'empty' };

/** One event (or line) of a server-sent event stream. */
export type Frame =
  /** A well-formed `chat.completion.chunk` with this text (and a finish reason on the last one). */
  | { readonly kind: 'chunk'; readonly content: string; readonly finishReason?: string }
  /** The usage-only chunk (`choices: []`) that `stream_options.include_usage` asks for. */
  | { readonly kind: 'usage' }
  /** `data: <json>`: `{}`, a chunk without `choices`, `choices` not an array, any value. */
  | { readonly kind: 'data'; readonly data: Json }
  /** A chunk whose `choices` is an array of anything: `[null]`, `[{ "delta": null }]`. */
  | { readonly kind: 'junkChoices'; readonly choices: readonly Json[] }
  /** The usage-only chunk with any `usage`. */
  | { readonly kind: 'oddUsage'; readonly usage: Json }
  /** `data: {"error": ...}`: an error object mid-stream. */
  | { readonly kind: 'errorData'; readonly error: Json }
  /** An `event:` line and its data: `event: error`, `event: thread.run.failed`, anything. */
  | { readonly kind: 'event'; readonly event: string; readonly data: string }
  /** A `: comment` line (keep-alive). */
  | { readonly kind: 'comment'; readonly text: string }
  /** `data: [DONE]`. */
  | { readonly kind: 'done' }
  /** `data:` that is not JSON. */
  | { readonly kind: 'garbage'; readonly text: string }
  /** Raw bytes, not UTF-8, written as they are. */
  | { readonly kind: 'bytes'; readonly bytes: readonly number[] }
  /** A well-formed chunk whose text is this many characters long. */
  | { readonly kind: 'huge'; readonly chars: number }
  /** Another line: `id: 7`, `retry: 10`, an unknown field, an empty line. */
  | { readonly kind: 'line'; readonly line: string };

/** How a response ends once its bytes are written. */
export type Ending = 'end' | 'hang' | 'reset';

/** Response headers besides the status: a content type (null: none) and any others. */
export interface HeaderSet {
  readonly contentType: string | null;
  readonly others: readonly (readonly [name: string, value: string])[];
}

/** A response that breaks HTTP itself, written straight to the socket. */
export type RawResponse =
  /** An interim `1xx` response (not 101), then a well-formed one. */
  | { readonly kind: 'informational'; readonly status: number; readonly then: Body }
  /** A 204 or 304 that has a body anyway. */
  | { readonly kind: 'bodyWithoutBody'; readonly status: 204 | 304; readonly body: Body }
  /** `content-length` that is not the body's length (longer: a cut body; shorter: trailing bytes). */
  | { readonly kind: 'lyingLength'; readonly delta: number; readonly body: Body }
  /** A broken status line or header block, then the connection closes. */
  | { readonly kind: 'garbage'; readonly text: string }
  /** `transfer-encoding: chunked` with a broken chunk size. */
  | { readonly kind: 'badChunked'; readonly body: Body };

/** What the upstream does with one request. */
export type Reply =
  | { readonly kind: 'respond'; readonly status: number; readonly headers: HeaderSet; readonly body: Body; readonly ending: Ending }
  | {
      readonly kind: 'stream';
      readonly status: number;
      readonly headers: HeaderSet;
      readonly frames: readonly Frame[];
      readonly lineEnd: '\n' | '\r\n';
      /** Where the bytes are cut between writes, each a fraction of the whole (0..1). */
      readonly splits: readonly number[];
      readonly ending: Ending;
    }
  | { readonly kind: 'redirect'; readonly status: number; readonly to: RedirectTarget }
  | { readonly kind: 'raw'; readonly raw: RawResponse; readonly ending: Exclude<Ending, 'hang'> }
  /** Never answers. */
  | { readonly kind: 'hang' }
  /** Resets the connection without answering. */
  | { readonly kind: 'reset' };

/** Where a redirect points. */
export type RedirectTarget =
  /** The trap server: another origin, which must never see a key. */
  | 'otherOrigin'
  /** `//127.0.0.1:<trap>/...`: another origin, protocol-relative. */
  | 'otherOriginRelative'
  /** The trap server, the request's key in the query (`?key=...`). */
  | 'otherOriginWithKey'
  /** The same server, another path: the next reply of the script answers it. */
  | 'sameOrigin'
  /** A location that is no URL. */
  | 'garbage'
  /** No location header. */
  | 'none';

/** What the server plays for one run: reply `i` answers the `i`-th request; the last one repeats. */
export type Script = readonly Reply[];

/** The secrets one request carried, echoed where a text says `$KEY` or `$HDR`. */
export interface Echoes {
  readonly key: string;
  readonly header: string;
}

export function echo(text: string, echoes: Echoes): string {
  return text.replaceAll('$KEY', echoes.key).replaceAll('$HDR', echoes.header);
}

function echoJson(value: Json, echoes: Echoes): Json {
  if (typeof value === 'string') return echo(value, echoes);
  if (Array.isArray(value)) return value.map((v: Json) => echoJson(v, echoes));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [echo(k, echoes), echoJson(v, echoes)]));
  }
  return value;
}

const completion = (content: string, finishReason: string | null) => ({
  id: 'chatcmpl-fuzz',
  object: 'chat.completion',
  created: 1,
  model: 'upstream-model',
  choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finishReason, logprobs: null }],
  usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
});

const chunk = (content: string, finishReason: string | null) => ({
  id: 'chatcmpl-fuzz',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'upstream-model',
  choices: [{ index: 0, delta: { content }, finish_reason: finishReason, logprobs: null }],
});

/** The bytes of a body, secrets echoed. */
export function bodyBytes(body: Body, echoes: Echoes): Buffer {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  switch (body.kind) {
    case 'completion':
      return json(completion(echo(body.content, echoes), body.finishReason));
    case 'withoutChoices':
      return json(echoJson(body.fields, echoes));
    case 'choicesNotArray':
      return json({ ...completion('hi', 'stop'), choices: echoJson(body.choices, echoes) });
    case 'junkChoices':
      return json({ ...completion('hi', 'stop'), choices: echoJson(body.choices, echoes) });
    case 'oddUsage':
      return json({ ...completion('hi', 'stop'), usage: body.usage });
    case 'errorObject':
      return json({ error: echoJson(body.error, echoes) });
    case 'json':
      return json(echoJson(body.value, echoes));
    case 'truncated':
      return json(completion('truncated', 'stop')).subarray(0, body.at);
    case 'text':
      return Buffer.from(echo(body.text, echoes));
    case 'huge':
      return json({ error: { message: 'x'.repeat(body.chars) + echo(body.echo, echoes), type: 'server_error' } });
    case 'bytes':
      return Buffer.from(body.bytes);
    case 'empty':
      return Buffer.alloc(0);
  }
}

/** The bytes of one SSE frame, secrets echoed. */
export function frameBytes(frame: Frame, lineEnd: string, echoes: Echoes): Buffer {
  const event = (...lines: string[]) => Buffer.from(lines.map((line) => line + lineEnd).join('') + lineEnd);
  const data = (value: unknown) => event(`data: ${JSON.stringify(value)}`);
  switch (frame.kind) {
    case 'chunk':
      return data(chunk(echo(frame.content, echoes), frame.finishReason ?? null));
    case 'usage':
      return data({ ...chunk('', null), choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } });
    case 'data':
      return data(echoJson(frame.data, echoes));
    case 'junkChoices':
      return data({ ...chunk('', null), choices: echoJson(frame.choices, echoes) });
    case 'oddUsage':
      return data({ ...chunk('', null), choices: [], usage: frame.usage });
    case 'errorData':
      return data({ error: echoJson(frame.error, echoes) });
    case 'event':
      return event(`event: ${frame.event}`, `data: ${echo(frame.data, echoes)}`);
    case 'comment':
      return Buffer.from(`: ${frame.text}${lineEnd}`);
    case 'done':
      return event('data: [DONE]');
    case 'garbage':
      return event(`data: ${echo(frame.text, echoes)}`);
    case 'bytes':
      return Buffer.from(frame.bytes);
    case 'huge':
      return data(chunk('y'.repeat(frame.chars), null));
    case 'line':
      return Buffer.from(frame.line + lineEnd);
  }
}

/** A raw HTTP response's bytes (status line, headers and body), secrets echoed. */
export function rawBytes(raw: RawResponse, echoes: Echoes): Buffer {
  const head = (status: number, headers: string[]) =>
    Buffer.from([`HTTP/1.1 ${status} Fuzz`, ...headers, 'connection: close', '', ''].join('\r\n'));
  const full = (status: number, body: Buffer, length = body.length) =>
    Buffer.concat([head(status, ['content-type: application/json', `content-length: ${length}`]), body]);
  switch (raw.kind) {
    case 'informational':
      return Buffer.concat([Buffer.from(`HTTP/1.1 ${raw.status} Interim\r\n\r\n`), full(200, bodyBytes(raw.then, echoes))]);
    case 'bodyWithoutBody':
      return full(raw.status, bodyBytes(raw.body, echoes));
    case 'lyingLength': {
      const body = bodyBytes(raw.body, echoes);
      return full(200, body, Math.max(0, body.length + raw.delta));
    }
    case 'garbage':
      return Buffer.from(echo(raw.text, echoes));
    case 'badChunked': {
      const body = bodyBytes(raw.body, echoes);
      const chunked = Buffer.concat([Buffer.from(`${(body.length + 7).toString(16)}\r\n`), body, Buffer.from('\r\nzz\r\n')]);
      return Buffer.concat([head(200, ['content-type: application/json', 'transfer-encoding: chunked']), chunked]);
    }
  }
}
