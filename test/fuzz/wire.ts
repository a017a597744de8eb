// A raw HTTP client for the fuzzers: fetch refuses TRACE and a body with GET and normalizes paths
// (`..`), so requests go through node:http with the path exactly as given.
import http from 'node:http';
import fc from 'fast-check';

export interface RawRequest {
  method: string;
  /** Path and query, sent byte for byte (printable ASCII; callers percent-encode the rest). */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface RawReply { status: number; headers: http.IncomingHttpHeaders; text: string }

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * One request. A kept-alive socket the server closed as it went idle (keepAliveTimeout) may be
 * reused in that same moment: that ECONNRESET on a reused socket means the request never reached
 * the server, so it is sent once more on a fresh one, as Node's documentation of
 * `request.reusedSocket` advises. Any other error is the server's.
 */
export function send(baseUrl: string, request: RawRequest, timeoutMs = 20_000, retried = false): Promise<RawReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, method: request.method, path: request.path, agent,
      headers: { ...request.headers, ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`No answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') resolve(send(baseUrl, request, timeoutMs, true));
      else reject(error);
    });
    req.end(request.body);
  });
}

export function closeAgent(): void { agent.destroy(); }

/** A request as sent, printable for a failure report (keys redacted, long values cut). */
export class FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
  constructor(method: string, path: string, headers: Record<string, string>, body?: string | Buffer) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
  }
  describe(): string {
    const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars in all)` : s);
    const headers = Object.entries(this.headers).map(([k, v]) => `${k}: ${/api-key|authorization/i.test(k) ? '<key>' : cut(v, 200)}`);
    const body = this.body === undefined ? '' : `\n\n${cut(Buffer.isBuffer(this.body) ? `<bytes ${this.body.toString('hex', 0, 200)}>` : this.body, 1500)}`;
    return `${this.method} ${cut(this.path, 500)}\n${headers.join('\n')}${body}`;
  }
  [fc.toStringMethod]() { return this.describe(); }
  /** Bytes of the request line and headers (Node refuses a head over 16 KiB before the app sees it). */
  headBytes(): number { return this.method.length + this.path.length + Object.entries(this.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 12); }
}
