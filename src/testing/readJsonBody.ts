import type { IncomingMessage } from 'node:http';

/** A request body read to its end: parsed when it is JSON, `undefined` when empty. */
export type ReadBody = { ok: true; body: unknown } | { ok: false; body: undefined };

/** Reads and parses a request body; `'aborted'` when the client left before sending all of it. */
export function readJsonBody(req: IncomingMessage): Promise<ReadBody | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', () => resolve('aborted'));
    req.once('close', () => {
      if (!req.complete) resolve('aborted');
    });
    req.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({ ok: true, body: undefined });
      try {
        resolve({ ok: true, body: JSON.parse(text) as unknown });
      } catch {
        resolve({ ok: false, body: undefined });
      }
    });
  });
}
