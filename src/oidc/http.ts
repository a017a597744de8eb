// Reading the OAuth wire, shared by the OIDC endpoints: form bodies, single-valued parameters,
// bearer tokens and cookies. (Writing it: src/rest/dialects/oauth.ts.)
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { InvalidRequest } from '../domain/oauth/oauth-errors.ts';
import { unstorableReason } from '../domain/storable.ts';

export const FORM_LIMIT_BYTES = 64 * 1024;

export type Params = Record<string, string | undefined>;

function single(entries: Iterable<[string, string]>): Params {
  const out: Params = Object.create(null); // "constructor" or "__proto__" are parameter names like any other
  for (const [key, value] of entries) {
    if (key in out) throw new InvalidRequest(`Parameter ${key} is repeated`);
    out[key] = value;
  }
  return out;
}

/** An application/x-www-form-urlencoded body; repeated parameters are refused (RFC 6749 §3.1). */
export async function readForm(ctx: Context): Promise<Params> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new InvalidRequest('The body must be application/x-www-form-urlencoded');
  }
  let raw: string;
  try {
    raw = await getRawBody(ctx.req, { limit: FORM_LIMIT_BYTES, encoding: 'utf8' });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw new InvalidRequest('The body is too large');
    throw new InvalidRequest('The body could not be read');
  }
  const form = new URLSearchParams(raw);
  const problem = paramsProblem(form, 'form');
  if (problem) throw new InvalidRequest(problem);
  return single(form.entries() as Iterable<[string, string]>);
}

/** A parameter PostgreSQL could not store (src/domain/storable.ts), described, or undefined. */
function paramsProblem(params: URLSearchParams, where: string): string | undefined {
  for (const [key, value] of params) {
    const reason = unstorableReason(key) ?? unstorableReason(value);
    if (reason) return `The ${where} parameter ${JSON.stringify(key.replace(/\u0000/g, '\uFFFD').slice(0, 64))}: ${reason}`;
  }
  return undefined;
}

/** What makes the request's path or query unusable (a NUL character), or undefined. */
export function pathOrQueryProblem(ctx: Context): string | undefined {
  if (/%00/.test(ctx.path)) return 'The path: String should not contain the NUL character (U+0000)';
  return paramsProblem(new URLSearchParams(ctx.querystring), 'query');
}

export function queryParams(ctx: Context): Params {
  return single(new URLSearchParams(ctx.querystring).entries() as Iterable<[string, string]>);
}

export function bearerOf(ctx: Context): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
  return match?.[1];
}

export interface CookieOptions { secure: boolean; maxAgeSeconds?: number }

/** Sets an HttpOnly, SameSite=Lax cookie (Secure when PUBLIC_URL is https). */
export function setCookie(ctx: Context, name: string, value: string, { secure, maxAgeSeconds }: CookieOptions) {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  ctx.append('Set-Cookie', parts.join('; '));
}

export function cookieOf(ctx: Context, name: string): string | undefined {
  const header = ctx.get('cookie');
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
