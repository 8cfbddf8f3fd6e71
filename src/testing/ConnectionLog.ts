import type { Server } from 'node:http';
import type { MockConnections } from './MockOpenAI.js';

/** Counts the mock's TCP connections as the server accepts them and as they close. */
export class ConnectionLog implements MockConnections {
  open = 0;
  peak = 0;
  total = 0;

  constructor(server: Server) {
    server.on('connection', (socket) => {
      this.open += 1;
      this.total += 1;
      if (this.open > this.peak) this.peak = this.open;
      socket.once('close', () => (this.open -= 1));
    });
  }

  /** Counts from now: `peak` from the connections open, `total` from 0. */
  reset(): void {
    this.peak = this.open;
    this.total = 0;
  }
}
