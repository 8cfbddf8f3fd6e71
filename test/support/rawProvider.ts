import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * One raw exchange: what a hostile or broken provider sends, byte for byte. `events` are written one
 * by one as a stream (each as given: the test writes the SSE framing itself); `hold` keeps the
 * socket open after them.
 */
export interface RawReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly events?: readonly string[];
  readonly hold?: boolean;
}

/** A provider on 127.0.0.1 that answers each request with the next scripted raw reply (the last one repeats). */
export interface RawProvider {
  readonly url: string;
  readonly origin: string;
  /** Bodies and headers of the requests received, in order. */
  readonly requests: { readonly path: string; readonly headers: IncomingMessage['headers']; readonly body: string }[];
  /** Resolves once every socket the provider accepted so far is closed. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function startRawProvider(replies: readonly RawReply[] | ((request: number) => RawReply)): Promise<RawProvider> {
  const requests: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const sockets = new Map<Socket, Promise<void>>();
  const reply = (n: number): RawReply => (typeof replies === 'function' ? replies(n) : (replies[Math.min(n, replies.length - 1)] ?? {}));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const script = reply(requests.length);
      requests.push({ path: req.url ?? '/', headers: req.headers, body });
      res.writeHead(script.status ?? 200, {
        'content-type': script.events === undefined ? 'application/json' : 'text/event-stream',
        ...script.headers,
      });
      if (script.events === undefined) return void res.end(script.body ?? '');
      for (const event of script.events) res.write(event);
      if (script.hold !== true) res.end();
    });
  });
  server.on('connection', (socket: Socket) => sockets.set(socket, new Promise((resolve) => socket.once('close', () => resolve()))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    allClosed: async () => void (await Promise.all(sockets.values())),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An SSE `data:` event. */
export const sse = (data: unknown): string => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** A streamed chunk of a chat completion carrying `content` (and a finish reason when given). */
export function chunk(content: string | undefined, finish: string | null = null): Record<string, unknown> {
  return {
    id: 'chatcmpl-raw',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'raw',
    choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }],
  };
}
