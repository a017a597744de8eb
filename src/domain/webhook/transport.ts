// Posts a signed body to a webhook: no redirects followed, a deadline for the whole exchange, at
// most 64 KiB of answer read, and no connection to a private, loopback or link-local address
// (a public name that resolves inward), except 127.0.0.1 when loopback targets are allowed.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

export interface PostResult { status: number; body: string }
export interface TransportOptions { allowLoopback: boolean; extraCa?: string[] }

const MAX_ANSWER_BYTES = 64 * 1024;

/** `7f00:1` (the last 32 bits of an IPv6 address in hex) as `127.0.0.1`; '0.0.0.0' when not that shape. */
function embeddedIPv4(tail: string): string {
  const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(tail);
  if (!m) return tail.includes('.') ? tail : '0.0.0.0';
  const [hi, lo] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function isInwardAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254)
      || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || a >= 224;
  }
  const v6 = address.toLowerCase();
  if (v6.startsWith('::ffff:')) return isInwardAddress(v6.slice(7).includes('.') ? v6.slice(7) : embeddedIPv4(v6.slice(7)));
  // IPv4-compatible (::a.b.c.d, written ::7f00:1 by the URL parser) and NAT64 (64:ff9b::/96) reach IPv4 too.
  if (/^::[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(v6)) return isInwardAddress(embeddedIPv4(v6.slice(2)));
  if (v6.startsWith('64:ff9b::')) return isInwardAddress(v6.slice(9).includes('.') ? v6.slice(9) : embeddedIPv4(v6.slice(9)));
  return v6 === '::' || v6 === '::1' || v6.startsWith('fe8') || v6.startsWith('fe9') || v6.startsWith('fea')
    || v6.startsWith('feb') || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('ff');
}

export class WebhookTransport {
  readonly #options: TransportOptions;
  readonly #ca: string[] | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#ca = options.extraCa?.length ? [...tls.rootCertificates, ...options.extraCa] : undefined;
  }

  get allowLoopback() { return this.#options.allowLoopback; }

  #lookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const allowed = list.filter((a) => !isInwardAddress(a.address) || (this.#options.allowLoopback && a.address === '127.0.0.1'));
      if (!allowed.length) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '', 0);
      if ((options as { all?: boolean }).all) return (callback as any)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };

  /** POSTs `body`; resolves with the status and (text) answer, rejects on network errors and the deadline. */
  post(target: string, body: string, headers: Record<string, string[]>, timeoutMs: number, signal?: AbortSignal): Promise<PostResult> {
    const url = new URL(target);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(url, {
        method: 'POST', signal, lookup: this.#lookup, ca: this.#ca, agent: false,
        headers: { ...headers, 'content-type': 'application/jwt', 'content-length': Buffer.byteLength(body), 'user-agent': 'idgraph-webhooks/1' },
      }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) { response.destroy(); return; }
          chunks.push(chunk);
        });
        response.on('end', () => { clearTimeout(deadline); resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
        response.on('error', (error) => { clearTimeout(deadline); reject(error); });
        response.on('close', () => { if (size > MAX_ANSWER_BYTES) { clearTimeout(deadline); resolve({ status: response.statusCode ?? 0, body: '' }); } });
      });
      const deadline = setTimeout(() => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
      request.on('error', (error) => { clearTimeout(deadline); reject(error); });
      request.end(body);
    });
  }
}

/** What an attempt's failure is recorded as: a code or a status, never a header or a body. */
export function describeFailure(error: unknown): string {
  const e = error as { code?: string; message?: string; name?: string };
  if (e.code === 'ETIMEDOUT') return e.message ?? 'timed out';
  if (e.name === 'AbortError') return 'aborted: the server stopped during the attempt';
  return `${e.code ?? 'error'}: ${(e.message ?? '').slice(0, 200)}`;
}
