// Posts a signed body to a webhook: no redirects followed, a deadline for the whole exchange, at
// most 64 KiB of answer read, and no connection to a private, loopback or link-local address
// (a public name that resolves inward), except 127.0.0.1 when loopback targets are allowed.
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import tls from 'node:tls';
import { outwardLookup } from '../outward-lookup.ts';

export { isInwardAddress } from '../outward-lookup.ts';

export interface PostResult { status: number; body: string }
export interface TransportOptions { allowLoopback: boolean; extraCa?: string[] }

const MAX_ANSWER_BYTES = 64 * 1024;

export class WebhookTransport {
  readonly #options: TransportOptions;
  readonly #ca: string[] | undefined;
  readonly #lookup: net.LookupFunction;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#ca = options.extraCa?.length ? [...tls.rootCertificates, ...options.extraCa] : undefined;
    this.#lookup = outwardLookup(options.allowLoopback);
  }

  get allowLoopback() { return this.#options.allowLoopback; }

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
