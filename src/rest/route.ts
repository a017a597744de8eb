// A REST path is a declaration: which GraphQL operation it runs, how the request becomes its
// variables, and how the data becomes the response. src/rest/engine.ts serves every declaration
// and src/rest/openapi.ts documents them; nothing else is written per route.
import type { Dialect } from './dialects/dialect.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type JsonSchema = Record<string, unknown>;

export interface ParameterDeclaration {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
  description?: string;
  /** Comma-separated list in one value (OpenAPI `style: form, explode: false`). */
  commaSeparated?: boolean;
}

export interface RouteInput {
  path: Record<string, string>;
  query: Record<string, any>;
  headers: Record<string, string | undefined>;
  body: any;
}

export interface RouteResult {
  /** Body content: the SlashID `result`, or the whole Secrets Vault body. Undefined for none. */
  body?: unknown;
  meta?: Record<string, unknown>;
  status?: number;
  headers?: Record<string, string>;
}

export interface RouteDeclaration {
  dialect: Dialect;
  method: HttpMethod;
  /** OpenAPI form: `/persons/{person_id}`. */
  path: string;
  operationId: string;
  summary: string;
  /** Which credentials the route takes; a declaration without one does not register. */
  /** slashid_org_key: SlashID-OrgID + SlashID-API-Key; slashid_api_key: the key alone (SlashID-OrgID
   *  optional, must match); vault_api_key: X-API-Key or Bearer; none. */
  auth: 'slashid_org_key' | 'slashid_api_key' | 'vault_api_key' | 'none';
  /** A GraphQL document with one operation; parsed and validated against the schema at start-up. */
  operation: string;
  parameters?: ParameterDeclaration[];
  body?: { schema: JsonSchema; required?: boolean };
  variables: (input: RouteInput) => Record<string, unknown>;
  /** Maps the operation's data to the response; the document's selection is all that can leak. */
  respond: (data: any, input: RouteInput) => RouteResult;
  /** The status of success, for the engine and the OpenAPI document. */
  status: number;
  /** Other success statuses `respond` may choose (e.g. 200 vs 201 of an upsert). */
  otherStatuses?: number[];
  responseSchema?: JsonSchema;
  errorStatuses: number[];
}

export function defineRoute(route: RouteDeclaration): RouteDeclaration {
  return route;
}
