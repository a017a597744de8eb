// What no route answered, in the wire shape of the face the path belongs to: 405 with Allow when
// another method of the path exists (OPTIONS lists them), else 404. Also the dialect of a path for
// the error boundary (500, 503 and the body parser's 4xx).
import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { Dialect } from '../rest/dialects/dialect.ts';
import { answerUndeclaredMethod, writeError } from '../rest/dialects/dialect.ts';
import { slashid } from '../rest/dialects/slashid.ts';
import { vault } from '../rest/dialects/vault.ts';
import type { RouteDeclaration } from '../rest/route.ts';

// Paths of the Secrets Vault face served outside the REST declarations (its OIDC aliases; `/token`
// too, whose first segment SlashID's /token/validate shares).
const VAULT_SEGMENTS = ['realms', 'logout', 'user', 'login'];

/** The dialect of a path, by its first segment: the face whose declarations use it; SlashID else. */
export function dialectForPath(routes: RouteDeclaration[]): (path: string) => Dialect {
  const bySegment = new Map<string, Dialect>(VAULT_SEGMENTS.map((s) => [s, vault]));
  for (const route of routes) {
    const segment = route.path.split('/')[1];
    if (!bySegment.has(segment)) bySegment.set(segment, route.dialect);
  }
  return (path) => (path === '/token' ? vault : bySegment.get(path.split('/')[1] ?? '') ?? slashid);
}

/** The methods the routers declare for a path (their layers that match it). */
function methodsOf(routers: Router[], path: string): string[] {
  const methods = new Set<string>();
  for (const router of routers) {
    for (const layer of router.stack) {
      if (layer.methods.length && layer.match(path)) for (const m of layer.methods) methods.add(m);
    }
  }
  return [...methods];
}

export function unmatchedRequests(routers: Router[], dialectOf: (path: string) => Dialect) {
  return async (ctx: Context, next: Next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    const dialect = dialectOf(ctx.path);
    const methods = methodsOf(routers, ctx.path);
    if (methods.length) return answerUndeclaredMethod(ctx, dialect, methods);
    writeError(ctx, dialect, { code: 'NOT_FOUND', status: 404, message: `No route for ${ctx.method} ${ctx.path}; see /openapi.json` });
  };
}
