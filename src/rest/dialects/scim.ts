// The SCIM 2.0 wire (RFC 7644 §3.1, §3.12): bare resources as `application/scim+json`, errors as
// `{schemas: [Error URN], status: "404", scimType?, detail}`. Requests may be sent as
// application/scim+json or application/json (the body reader takes any JSON media type).
import { httpStatusOf } from '../../domain/errors.ts';
import { SCIM_TYPES } from '../../domain/scim/scim-errors.ts';
import { URN } from '../../domain/scim/scim-schemas.ts';
import type { Dialect, WireError } from './dialect.ts';

export const SCIM_MEDIA_TYPE = 'application/scim+json';

/** The scimType of an error: what the domain put on its first issue, else what its code implies. */
function scimTypeOf({ code, issues }: WireError): string | undefined {
  const declared = issues?.[0]?.type;
  if (declared && (SCIM_TYPES as readonly string[]).includes(declared)) return declared;
  if (code === 'CONFLICT') return 'uniqueness';
  if (code === 'PAYLOAD_TOO_LARGE') return 'tooLarge';
  if (code === 'VALIDATION_FAILED') {
    return issues?.some((i) => i.loc.includes('filter')) ? 'invalidFilter' : issues?.some((i) => i.type === 'json_invalid') ? 'invalidSyntax' : 'invalidValue';
  }
  return undefined;
}

export const scim: Dialect = {
  name: 'scim',
  tag: 'SCIM 2.0',
  contentType: SCIM_MEDIA_TYPE,
  writeSuccess(ctx, status, body) {
    if (status === 204 || status === 304) {
      ctx.body = null;
      ctx.status = status;
      return;
    }
    ctx.status = status;
    ctx.body = body ?? {};
    ctx.type = SCIM_MEDIA_TYPE;
  },
  challenge: 'Bearer',
  defaultAuth: 'vault_api_key',
  // Every path names a tenant: an unknown one is a 404, as are credentials of another tenant's (403 without the scope).
  errorStatusesOf: () => [401, 403, 404],
  errorBody(status, error) {
    const scimType = status === 400 || status === 409 || status === 413 ? scimTypeOf(error) : undefined;
    const fromAjv = error.code === 'VALIDATION_FAILED' && error.issues?.length && !(SCIM_TYPES as readonly string[]).includes(error.issues[0].type);
    const detail = fromAjv ? error.issues!.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ') : error.message;
    return { schemas: [URN.error], status: String(status), ...(scimType ? { scimType } : {}), detail };
  },
  statusOf: (code) => httpStatusOf[code] ?? 500,
  errorSchema: {
    type: 'object',
    required: ['schemas', 'status'],
    properties: {
      schemas: { type: 'array', items: { type: 'string', enum: [URN.error] } },
      status: { type: 'string' },
      scimType: { type: 'string', enum: [...SCIM_TYPES] },
      detail: { type: 'string' },
    },
  },
};
