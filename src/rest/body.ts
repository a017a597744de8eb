// Reads a JSON request body within the size limit. Bad bodies become typed errors that each
// dialect renders in its own shape.
import getRawBody from 'raw-body';
import type { Context } from 'koa';
import { PayloadTooLarge, UnsupportedMediaType, ValidationFailed } from '../domain/errors.ts';
import { jsonIssue } from '../domain/storable.ts';

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
  // JSON.parse copes with any depth, but what walks the value next (ajv, JSON.stringify when it
  // is stored) recurses: refuse depth past MAX_JSON_DEPTH before anything else touches it.
  const tooDeep = jsonIssue(body, ['body'], { strings: false });
  if (tooDeep) throw new ValidationFailed(`${tooDeep.loc.join('.')}: ${tooDeep.msg}`, [tooDeep]);
  return body;
}

function tooLarge(limit: number) {
  return new PayloadTooLarge(`The request body exceeds the limit of ${limit} bytes`);
}
