import { Agent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';

/** One request, with full control over headers and body framing. */
export interface HttpRequest {
  readonly method: string;
  /** Path and query, e.g. `/v2/token/generate`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  /**
   * `length` (default): `Content-Length`; `chunked`: `Transfer-Encoding: chunked` in two chunks;
   * `none`: neither header and no body (the "no body at all" case of spec/api.md §2.1).
   */
  readonly framing?: 'length' | 'chunked' | 'none';
  /** Default 30 s. */
  readonly timeoutMs?: number;
  /**
   * Send on a fresh connection that is closed afterwards, for requests after which Node's server
   * drops the connection itself (an odd `Expect`, oversized headers or bodies), so the next
   * request never inherits a dead keep-alive socket.
   */
  readonly isolated?: boolean;
}

/** A response as received. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Round trip, milliseconds. */
  readonly ms: number;
}

/** The request could not be built by Node's HTTP client (e.g. a header value it refuses); nothing was sent. */
export class UnsendableRequestError extends Error {
  override readonly name = 'UnsendableRequestError';
}

/**
 * A keep-alive HTTP/1.1 client for 127.0.0.1 built on `node:http` (no extra dependency), with at
 * most `maxSockets` connections. Unlike `fetch` it can send any method, omit body framing,
 * chunk a body, or send headers fetch forbids.
 */
export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets = 16) {
    const url = new URL(baseUrl);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      throw new Error('the reliability suite only sends traffic to 127.0.0.1');
    }
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** Sends one request. @throws UnsendableRequestError, or a socket error (ECONNRESET, timeout …) */
  send(req: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, response?: HttpResponse) => {
        if (settled) return;
        settled = true;
        if (error !== undefined) reject(error);
        else if (response !== undefined) resolve(response);
      };
      let outgoing;
      try {
        outgoing = httpRequest({
          host: this.host,
          port: this.port,
          method: req.method,
          path: req.path,
          agent: req.isolated === true ? false : this.agent,
        });
        if (req.isolated === true) outgoing.setHeader('connection', 'close');
        for (const [name, value] of Object.entries(req.headers ?? {})) outgoing.setHeader(name, value);
      } catch (error) {
        finish(new UnsendableRequestError((error as Error).message));
        return;
      }
      outgoing.setTimeout(req.timeoutMs ?? 30_000, () => outgoing.destroy(new Error('request timed out')));
      outgoing.on('response', (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          finish(undefined, {
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
        incoming.on('error', (error) => finish(error));
      });
      outgoing.on('error', (error) => finish(error));
      const body =
        req.body === undefined
          ? undefined
          : Buffer.isBuffer(req.body)
            ? req.body
            : Buffer.from(req.body, 'utf8');
      const framing = req.framing ?? 'length';
      try {
        if (framing === 'none') {
          outgoing.removeHeader('content-length');
          outgoing.removeHeader('transfer-encoding');
          outgoing.end();
        } else if (framing === 'chunked' && body !== undefined && body.length > 1) {
          const half = body.length >> 1;
          outgoing.write(body.subarray(0, half));
          outgoing.end(body.subarray(half));
        } else {
          outgoing.setHeader('content-length', body?.length ?? 0);
          outgoing.end(body);
        }
      } catch (error) {
        outgoing.destroy();
        finish(new UnsendableRequestError((error as Error).message));
      }
    });
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight; stops taking new items when
 * `shouldStop` returns true. Items are pulled lazily, so a generator can produce them on demand.
 */
export async function runPool<T>(
  items: Iterable<T>,
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let index = 0;
  const lane = async (): Promise<void> => {
    for (;;) {
      if (shouldStop()) return;
      const next = iterator.next();
      if (next.done === true) return;
      await work(next.value, index++);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}
