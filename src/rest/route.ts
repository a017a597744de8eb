// A REST path is a declaration: which GraphQL operation it runs, how the request becomes its
// variables, and how the data becomes the response. src/rest/engine.ts serves every declaration
// and src/rest/openapi.ts documents them; nothing else is written per route.
import type { Dialect } from './dialects/dialect.ts';
import type { Upload } from '../domain/upload.ts';

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
  /** The parsed JSON body; for a multipart declaration, `{[file]: Upload}`. */
  body: any;
}

/** A file of a multipart request, handed over while it is still arriving (never buffered whole). */
export type { Upload } from '../domain/upload.ts';

export interface RouteResult {
  /** Body content: the SlashID `result`, or the whole Secrets Vault body. Undefined for none. */
  body?: unknown;
  /** A non-JSON body written as is, outside the dialect's envelope (e.g. a CSV file). */
  raw?: string | Buffer;
  /** The media type of `raw` (defaults to the declaration's `responseContentType`). */
  contentType?: string;
  meta?: Record<string, unknown>;
  status?: number;
  headers?: Record<string, string>;
}

/** A JSON request body, read whole within MAX_BODY_BYTES and checked against `schema`. */
export interface JsonBodyDeclaration {
  kind?: 'json';
  schema: JsonSchema;
  required?: boolean;
}

/**
 * A `multipart/form-data` body, streamed within the upload limit (MAX_IMPORT_BYTES). The file
 * field named `file` reaches `variables` as `input.body[file]`, an Upload; `schema` only
 * documents the form in OpenAPI. Any other part is drained and ignored.
 */
export interface MultipartBodyDeclaration {
  kind: 'multipart';
  file: string;
  schema: JsonSchema;
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
  body?: JsonBodyDeclaration | MultipartBodyDeclaration;
  variables: (input: RouteInput) => Record<string, unknown>;
  /** Maps the operation's data to the response; the document's selection is all that can leak. */
  respond: (data: any, input: RouteInput) => RouteResult;
  /** The status of success, for the engine and the OpenAPI document. */
  status: number;
  /** Other success statuses `respond` may choose (e.g. 200 vs 201 of an upsert). */
  otherStatuses?: number[];
  responseSchema?: JsonSchema;
  /** Media type of a non-JSON success body (`respond` returns `raw`); JSON when absent. */
  responseContentType?: string;
  /** Response headers to document in OpenAPI (e.g. Content-Disposition of a download). */
  responseHeaders?: string[];
  errorStatuses: number[];
}

export function defineRoute(route: RouteDeclaration): RouteDeclaration {
  return route;
}
