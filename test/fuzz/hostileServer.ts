import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { bodyBytes, echo, frameBytes, rawBytes, type Echoes, type Ending, type HeaderSet, type Reply, type Script } from './behaviours.js';

/** A request as a server saw it. */
export interface SeenRequest {
  readonly host: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** `performance.now()` when its body had arrived. */
  readonly at: number;
}

/** A `node:http` server on 127.0.0.1 that knows which of its sockets are still open. */
interface TrackedServer {
  readonly origin: string;
  readonly requests: SeenRequest[];
  /**
   * Closes the connections that serve no request, then waits (at most `timeoutMs`, no sleeping) for
   * every socket to close. Returns what the sockets still open were serving (those that never
   * carried a request aside), and destroys them all so that the next run starts clean.
   */
  openSockets(timeoutMs: number): Promise<string[]>;
  close(): Promise<void>;
}

/** The hostile upstream: answers each request with the next reply of the script it is playing. */
export interface HostileServer extends TrackedServer {
  /**
   * Plays `script` from now on, from its first reply; forgets the requests seen so far. With a
   * `canary`, every HTTP reply also carries it in a header: a secret the library cannot know, for
   * showing that the leak check finds what is not scrubbed.
   */
  play(script: Script, canary?: string): void;
}

/** Headers whose values are credentials, as the test's providers send them. */
export const secretHeaderNames = ['x-gateway-key', 'x-api-key'] as const;

const noRequest = 'connected, no request';

async function listen(
  handle: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void,
  label: (req: IncomingMessage) => string,
): Promise<TrackedServer & { server: Server; requests: SeenRequest[] }> {
  const sockets = new Map<Socket, string>();
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    sockets.set(req.socket, label(req));
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString();
      const seen = { host: req.headers.host ?? '', path: req.url ?? '', headers: req.headers, body, at: performance.now() };
      requests.push(seen);
      handle(req, res, seen);
    });
    req.on('error', () => req.socket.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, noRequest);
    socket.once('close', () => sockets.delete(socket));
  });
  // A socket error (a reset by the client) is part of the game, not a failure of the server.
  server.on('clientError', (_error, socket: Socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    requests,
    async openSockets(timeoutMs) {
      server.closeIdleConnections();
      // A socket leaves the map on its 'close' event: every one still in it has yet to emit it.
      const open = [...sockets.entries()].filter(([, what]) => what !== noRequest).map(([socket]) => socket);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(open.map((socket) => new Promise((resolve) => socket.once('close', resolve)))),
        new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      const left = [...sockets.entries()];
      for (const [socket] of left) socket.destroy();
      // undici opens a spare connection after an aborted request (plain fetch does the same): one
      // that never carried a request holds nothing and is fetch's pool, not the library's.
      return left.map(([, what]) => what).filter((what) => what !== noRequest);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a request carried: its bearer key and its secret header, to be echoed back. */
function echoesOf(req: IncomingMessage): Echoes {
  const key = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const header = secretHeaderNames.map((name) => req.headers[name]).find((value) => typeof value === 'string') ?? '';
  return { key, header: header as string };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function headerList(headers: HeaderSet, echoes: Echoes): string[] {
  const list: [string, string][] = headers.contentType === null ? [] : [['content-type', headers.contentType]];
  return [...list, ...headers.others.map(([name, value]) => [echo(name, echoes), echo(value, echoes)])].flat();
}

function end(res: ServerResponse, ending: Ending): void {
  if (ending === 'end') res.end();
  else if (ending === 'reset') res.socket?.destroy();
  // 'hang': the response stays open until the client gives up.
}

async function playReply(reply: Reply, req: IncomingMessage, res: ServerResponse, trapOrigin: string, echoes: Echoes): Promise<void> {
  // One exchange per connection: a socket still open after a call is the client's doing.
  res.shouldKeepAlive = false;
  switch (reply.kind) {
    case 'respond': {
      res.writeHead(reply.status, headerList(reply.headers, echoes));
      res.write(bodyBytes(reply.body, echoes));
      return end(res, reply.ending);
    }
    case 'stream': {
      res.writeHead(reply.status, headerList(reply.headers, echoes));
      res.flushHeaders();
      const bytes = Buffer.concat(reply.frames.map((frame) => frameBytes(frame, reply.lineEnd, echoes)));
      const cuts = [...new Set(reply.splits.map((s) => Math.floor(s * bytes.length)))].sort((a, b) => a - b);
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        if (res.destroyed) return;
        if (cut > from) res.write(bytes.subarray(from, cut));
        from = Math.max(from, cut);
        await tick();
      }
      return end(res, reply.ending);
    }
    case 'redirect': {
      const path = '/v1/chat/completions';
      const location = {
        otherOrigin: `${trapOrigin}${path}`,
        otherOriginRelative: `${trapOrigin.replace(/^http:/, '')}${path}`,
        otherOriginWithKey: `${trapOrigin}${path}?key=${echoes.key}`,
        sameOrigin: `${path}?hop=${Math.random().toString(36).slice(2)}`,
        garbage: 'http://[::1',
        none: undefined,
      }[reply.to];
      res.writeHead(reply.status, location === undefined ? {} : { location });
      return void res.end();
    }
    case 'raw': {
      const socket = req.socket;
      socket.write(rawBytes(reply.raw, echoes));
      if (reply.ending === 'end') socket.end();
      else socket.destroy();
      return;
    }
    case 'hang':
      return;
    case 'reset':
      return void req.socket.destroy();
  }
}

/** The hostile upstream. `trapOrigin` is where its cross-origin redirects point. */
export async function startHostileServer(trapOrigin: string): Promise<HostileServer> {
  let script: Script = [{ kind: 'hang' }];
  let served = 0;
  let canary: string | undefined;
  const replyFor = (index: number): Reply => script[Math.min(index, script.length - 1)]!;
  const tracked = await listen(
    (req, res) => {
      const reply = replyFor(served++);
      if (canary !== undefined) res.setHeader('x-fuzz-canary', canary);
      playReply(reply, req, res, trapOrigin, echoesOf(req)).catch(() => req.socket.destroy());
    },
    (req) => `request ${served + 1} (${req.url ?? ''}): ${JSON.stringify(replyFor(served)).slice(0, 200)}`,
  );
  return {
    ...tracked,
    play(next, leak) {
      script = next;
      canary = leak;
      served = 0;
      tracked.requests.length = 0;
    },
  };
}

/**
 * Another origin, where cross-origin redirects point: it records what reaches it (a key must not)
 * and answers like a well-behaved provider, so a client that follows redirects gets an answer.
 */
export async function startTrapServer(): Promise<TrackedServer & { reset(): void }> {
  const tracked = await listen(
    (_req, res, seen) => {
      res.shouldKeepAlive = false;
      const stream = /"stream"\s*:\s*true/.test(seen.body);
      const text = 'trapped';
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(bodyBytes({ kind: 'completion', content: text, finishReason: 'stop' }, { key: '', header: '' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const frames = [
        { kind: 'chunk', content: text } as const,
        { kind: 'chunk', content: '', finishReason: 'stop' } as const,
        { kind: 'done' } as const,
      ];
      res.end(Buffer.concat(frames.map((frame) => frameBytes(frame, '\n', { key: '', header: '' }))));
    },
    (req) => `trap request (${req.url ?? ''})`,
  );
  return { ...tracked, reset: () => void (tracked.requests.length = 0) };
}
