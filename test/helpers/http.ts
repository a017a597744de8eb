// Small fetch wrappers for the two REST faces.
import type { TestOrg } from './server.ts';

export interface Reply<T = any> { status: number; headers: Headers; body: T; text: string }

export async function call(baseUrl: string, method: string, path: string, init: {
  headers?: Record<string, string | undefined>; json?: unknown; raw?: string | Buffer; contentType?: string;
} = {}): Promise<Reply> {
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(init.headers ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
  let body: string | Buffer | undefined;
  if (init.json !== undefined) { body = JSON.stringify(init.json); headers['content-type'] = 'application/json'; }
  if (init.raw !== undefined) { body = init.raw; headers['content-type'] = init.contentType ?? 'application/json'; }
  // A Buffer as its bytes: the DOM typings some libraries bring (samlify's xpath) refuse a Buffer as BodyInit.
  const response = await fetch(baseUrl + path, { method, headers, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) });
  const text = await response.text();
  let parsed: unknown;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = text; }
  return { status: response.status, headers: response.headers, body: parsed as any, text };
}

export const slashidHeaders = (org: TestOrg) => ({ 'SlashID-OrgID': org.id, 'SlashID-API-Key': org.apiKey });
export const vaultHeaders = (org: TestOrg) => ({ 'X-API-Key': org.apiKey });
