// The OpenAPI 3.0 document, generated from the same declarations the engine serves. Schemas are
// declared once, in the JSON Schema ajv enforces, and spelled in OpenAPI 3.0's dialect here.
import type { RouteDeclaration } from './route.ts';
import { toOpenApiSchema as oas } from './openapi-schema.ts';
import { withInt32Bounds } from './int32.ts';

const reasons: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized',
  402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 412: 'Precondition Failed',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
};

const security: Record<RouteDeclaration['auth'], Record<string, string[]>[]> = {
  slashid_org_key: [{ ApiKeyAuth: [] }],
  slashid_api_key: [{ ApiKeyAuth: [] }],
  vault_api_key: [{ APIKeyHeader: [] }, { HTTPBearer: [] }],
  none: [],
};

function successSchema(route: RouteDeclaration) {
  if (!route.responseSchema) return undefined;
  if (route.dialect.name !== 'slashid' || route.responseContentType) return oas(route.responseSchema);
  const { errors } = route.dialect.errorSchema.properties as Record<string, unknown>;
  return {
    type: 'object',
    properties: { result: oas(route.responseSchema), meta: { type: 'object' }, errors },
    required: ['result'],
  };
}

function operationOf(route: RouteDeclaration) {
  const responses: Record<string, unknown> = {};
  for (const status of [route.status, ...(route.otherStatuses ?? [])]) {
    const schema = successSchema(route);
    responses[String(status)] = {
      description: reasons[status] ?? 'Success',
      ...(schema && status !== 204 ? { content: { [route.responseContentType ?? 'application/json']: { schema } } } : {}),
      ...(route.responseHeaders?.length
        ? { headers: Object.fromEntries(route.responseHeaders.map((h) => [h, { schema: { type: 'string' } }])) } : {}),
    };
  }
  for (const status of [...route.errorStatuses, 413].filter((s, i, all) => all.indexOf(s) === i)) {
    if (status === 413 && !route.body) continue;
    responses[String(status)] = {
      description: reasons[status] ?? 'Error',
      content: { 'application/json': { schema: oas(route.dialect.errorSchema) } },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.dialect.tag],
    security: security[route.auth],
    parameters: (route.parameters ?? []).map((p) => ({
      name: p.name, in: p.in, required: p.in === 'path' ? true : (p.required ?? false), schema: oas(withInt32Bounds(p.schema)),
      ...(p.description ? { description: p.description } : {}),
      ...(p.commaSeparated ? { style: 'form', explode: false } : {}),
    })),
    ...(route.body ? {
      requestBody: route.body.kind === 'multipart'
        ? { required: true, content: { 'multipart/form-data': { schema: oas(route.body.schema) } } }
        : { required: route.body.required !== false, content: { 'application/json': { schema: oas(withInt32Bounds(route.body.schema)) } } },
    } : {}),
    responses,
  };
}

export function buildOpenApi(routes: RouteDeclaration[], serverUrl?: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'idgraph',
      version: '0.1.0',
      description: 'Identity graph server: the SlashID-compatible management API and the Secrets Vault API.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: {
        ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'SlashID-API-Key', description: 'With the SlashID-OrgID header' },
        APIKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        HTTPBearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
