import { connect, type Socket } from 'node:net';

/**
 * The load generators' HTTP client: keep-alive HTTP/1.1 connections, one request at a time on each, written as
 * one buffer and read back by Content-Length. It is deliberately minimal: on a 2-core machine every microsecond
 * the client spends is taken from the server under test, and the platforms it stands in for run elsewhere.
 * (undici's dispatch API, the cheapest general client, took ~40% more CPU per request here: 65 against 45 µs.)
 */
export class HttpClients {
  readonly #host: string;
  readonly #port: number;
  readonly #idle: Connection[] = [];
  readonly #waiting: ((c: Connection) => void)[] = [];
  #open = 0;
  #closed = false;

  constructor(
    origin: string,
    private readonly opts: { connections: number },
  ) {
    const u = new URL(origin);
    this.#host = u.hostname;
    this.#port = Number(u.port || 80);
  }

  /** POSTs `body` on an idle connection (opening one while under the limit, else waiting for one). */
  async post(
    path: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; text: string }> {
    const c = await this.#take();
    try {
      return await c.post(this.#host, path, headers, body);
    } catch (e) {
      c.destroy();
      this.#open--;
      this.#replace();
      throw e;
    } finally {
      if (!c.broken) this.#give(c);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const c of this.#idle.splice(0)) c.destroy();
  }

  async #take(): Promise<Connection> {
    if (this.#closed) throw new Error('client pool closed');
    for (let c = this.#idle.pop(); c; c = this.#idle.pop()) {
      if (!c.broken) return c;
      this.#open--; // closed by the server while idle
    }
    if (this.#open < this.opts.connections) {
      this.#open++;
      try {
        return await Connection.open(this.#host, this.#port);
      } catch (e) {
        this.#open--;
        throw e;
      }
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** A broken connection's place goes to a new one when requests are waiting for a connection. */
  #replace(): void {
    if (this.#waiting.length === 0 || this.#closed) return;
    this.#open++;
    Connection.open(this.#host, this.#port).then(
      (c) => this.#give(c),
      () => {
        this.#open--;
      },
    );
  }

  #give(c: Connection): void {
    const next = this.#waiting.shift();
    if (next) next(c);
    else if (this.#closed) c.destroy();
    else this.#idle.push(c);
  }
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection. */
class Connection {
  broken = false;
  #buf: Buffer = Buffer.alloc(0);
  #pending?: { resolve: (r: { status: number; text: string }) => void; reject: (e: Error) => void };

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    const fail = (e: Error) => {
      this.broken = true;
      this.#pending?.reject(e);
      this.#pending = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port });
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new Connection(s));
      });
      s.once('error', reject);
    });
  }

  post(
    host: string,
    path: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; text: string }> {
    let head = `POST ${path} HTTP/1.1\r\nhost: ${host}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
    for (const k in headers) head += `${k}: ${headers[k]}\r\n`;
    if (this.broken) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.socket.write(`${head}\r\n${body}`);
    });
  }

  destroy(): void {
    this.broken = true;
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const end = this.#buf.indexOf(HEAD_END);
    if (end < 0) return;
    const head = this.#buf.toString('latin1', 0, end);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      this.#fail(new Error(`response without content-length: ${head.split('\r\n')[0]}`));
      return;
    }
    const bodyEnd = end + 4 + Number(length[1]);
    if (this.#buf.length < bodyEnd) return;
    const status = Number(head.slice(9, 12));
    const text = this.#buf.toString('utf8', end + 4, bodyEnd);
    this.#buf = this.#buf.subarray(bodyEnd);
    const p = this.#pending;
    this.#pending = undefined;
    p?.resolve({ status, text });
  }

  #fail(e: Error): void {
    const p = this.#pending;
    this.#pending = undefined;
    this.destroy();
    p?.reject(e);
  }
}
