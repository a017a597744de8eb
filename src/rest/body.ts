// Reads a JSON request body within the size limit. Bad bodies become typed errors that each
// dialect renders in its own shape.
import getRawBody from 'raw-body';
import type { Context } from 'koa';
import { PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from '../domain/errors.ts';
import { LONE_SURROGATE_MESSAGE, loneSurrogatePath, wellFormed } from '../domain/text.ts';

export const NO_BODY = Symbol('no body');

export async function readJsonBody(ctx: Context, limit: number): Promise<unknown> {
  const length = ctx.request.length;
  if (length !== undefined && length > limit) throw tooLarge(limit);
  let raw: string;
  try {
    raw = await getRawBody(ctx.req, { limit, encoding: 'utf8', length });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw tooLarge(limit);
    throw new ValidationFailed('The request body could not be read', [
      { loc: ['body'], msg: 'The request body could not be read', type: 'value_error' }]);
  }
  if (raw.trim() === '') return NO_BODY;
  const type = ctx.request.type;
  if (type && !/json/i.test(type)) {
    throw new UnsupportedMediaType(`Send the body as JSON with Content-Type: application/json, not ${type.slice(0, 64)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    const msg = `The body is not valid JSON: ${(error as Error).message.slice(0, 120)}`;
    throw new ValidationFailed(msg, [{ loc: ['body'], msg, type: 'json_invalid' }]);
  }
  // Refused here, for every route: PostgreSQL cannot store it (src/domain/text.ts).
  const at = loneSurrogatePath(body);
  if (at) {
    const loc = ['body', ...at.map((k) => (typeof k === 'string' ? wellFormed(k.slice(0, 64)) : k))];
    throw new ValidationFailed(`${loc.join('.')}: ${LONE_SURROGATE_MESSAGE}`, [{ loc, msg: LONE_SURROGATE_MESSAGE, type: 'string_unicode' }]);
  }
  return body;
}

function tooLarge(limit: number) {
  return new PayloadTooLarge(`The request body exceeds the limit of ${limit} bytes`);
}
