// The Secrets Vault (FastAPI) wire: bare bodies, `{"detail": "…"}` errors, and 422
// `{"detail": [{loc, msg, type}]}` for input that fails validation.
import { httpStatusOf } from '../../domain/errors.ts';
import type { Dialect } from './dialect.ts';

export const vault: Dialect = {
  name: 'vault',
  tag: 'Secrets Vault API',
  writeSuccess(ctx, status, body) {
    ctx.status = status;
    if (status === 204) return;
    ctx.body = body === undefined ? 'null' : body;
    if (body === undefined) ctx.type = 'application/json';
  },
  challenge: 'Bearer',
  defaultAuth: 'vault_api_key',
  // Bad credentials and FastAPI's 422 anywhere; an unknown id wherever the path names one.
  errorStatusesOf: (path) => (path.includes('{') ? [401, 404, 422] : [401, 422]),
  errorBody(_status, { code, message, issues }) {
    return code === 'VALIDATION_FAILED' && issues?.length ? { detail: issues } : { detail: message };
  },
  statusOf: (code) => (code === 'VALIDATION_FAILED' ? 422 : httpStatusOf[code] ?? 500),
  errorSchema: {
    type: 'object',
    properties: { detail: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }] } },
  },
};
