// The SlashID wire: `{result, meta, errors:[{httpcode, message}]}`, empty members omitted.
import { httpStatusOf } from '../../domain/errors.ts';
import type { Dialect } from './dialect.ts';
import { orgIdHeader } from '../schemas/slashid.ts';

export const slashid: Dialect = {
  name: 'slashid',
  tag: 'SlashID management API',
  writeSuccess(ctx, status, body, meta) {
    if (status === 204 || status === 202) {
      // No body; null before the status, or Koa turns a null body into 204 / writes the status text.
      ctx.body = null;
      ctx.status = status;
      return;
    }
    ctx.status = status;
    const envelope: Record<string, unknown> = {};
    if (body !== undefined) envelope.result = body;
    if (meta && Object.keys(meta).length) envelope.meta = meta;
    ctx.body = envelope;
  },
  challenge: 'SlashID-API-Key',
  defaultAuth: 'slashid_org_key',
  impliedParameters: { slashid_org_key: [orgIdHeader] },
  errorBody(status, { message, issues }) {
    const detail = issues?.length ? issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ') : message;
    return { errors: [{ httpcode: status, message: detail }] };
  },
  statusOf: (code) => httpStatusOf[code] ?? 500,
  errorSchema: {
    type: 'object',
    properties: {
      errors: { type: 'array', items: { type: 'object', properties: { httpcode: { type: 'integer' }, message: { type: 'string' } } } },
    },
  },
};
