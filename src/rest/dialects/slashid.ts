// The SlashID wire: `{result, meta, errors:[{httpcode, message}]}`, empty members omitted.
import { httpStatusOf } from '../../domain/errors.ts';
import type { Dialect } from './dialect.ts';
import { orgIdHeader } from '../schemas/slashid.ts';

/** Words the reference spells in capitals inside operationIds. */
const ACRONYMS: Record<string, string> = { rbac: 'RBAC' };
const pascal = (segment: string) => segment.replace(/[{}]/g, '').split(/[-_]/).filter(Boolean)
  .map((word) => ACRONYMS[word] ?? word[0].toUpperCase() + word.slice(1)).join('');

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
  // The reference's naming: GET /persons/{person_id}/credentials → GetPersonsPersonIdCredentials.
  operationIdOf: (method, path) => method[0] + method.slice(1).toLowerCase() + path.split('/').map(pascal).join(''),
  // A bad request and bad credentials anywhere; an unknown id wherever the path names one.
  errorStatusesOf: (path) => (path.includes('{') ? [400, 401, 404] : [400, 401]),
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
