// The JSON body parser of /graphql (@koa/bodyparser over co-body) throws a SyntaxError carrying
// status 400 for a body it cannot parse, but does not mark it safe to show, so the error boundary
// took it for a bug (500). Its onError hands such errors over as the client errors they are.
import type { Context } from 'koa';

export function refuseUnreadableBody(error: Error & { status?: number }, ctx: Context): never {
  const status = error.status;
  if (status === undefined || status < 400 || status >= 500) throw error;
  const message = error instanceof SyntaxError ? `The body is not valid JSON: ${error.message.slice(0, 120)}` : error.message;
  ctx.throw(status, message); // exposed: the boundary answers it in the path's wire shape
}
