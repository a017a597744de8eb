// A REST path is a declaration: which GraphQL operation it runs, how the request becomes its
// variables, and how the data becomes the response. src/rest/engine.ts serves every declaration
// and src/rest/openapi.ts documents them; nothing else is written per route.
//
// `defineRoute(dialect, {...})` is typed by the operation's own text: codegen types every
// operation of src/rest/routes/** (src/rest/generated/operations.ts), so `variables` must return
// what the operation declares and `respond` receives exactly what it selects (a field it does not
// select does not compile). A declaration states only what differs from its dialect's defaults:
// the credentials (`auth`) and the parameters they imply (SlashID-OrgID), no variables, an empty
// response.
import type { Dialect } from './dialects/dialect.ts';
import type { AuthScheme, JsonSchema, ParameterDeclaration } from './parameters.ts';

export type { AuthScheme, JsonSchema, ParameterDeclaration } from './parameters.ts';
import type { DataOf, IsGenerated, TakesNoVariables, VariablesOf } from './operation-types.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
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
  /** A lower limit than MAX_BODY_BYTES for this path (e.g. SCIM /Bulk's advertised maxPayloadSize). */
  maxBytes?: number;
}

/**
 * Runs another declaration for the same caller, as its own request would (its `@auth` rules, its
 * validation, its operation in its own transaction): answers its result, throws its DomainError.
 */
export type RunDeclaration = (route: RouteDeclaration, input: RouteInput) => Promise<RouteResult & { status: number }>;

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


/** What a declaration says about its path besides the operation. */
interface RouteShape {
  method: HttpMethod;
  /** OpenAPI form: `/persons/{person_id}`. */
  path: string;
  /** Defaults to the dialect's naming of method and path (SlashID: `GetPersonsPersonId`). */
  operationId?: string;
  summary: string;
  parameters?: ParameterDeclaration[];
  body?: JsonBodyDeclaration | MultipartBodyDeclaration;
  /** The status of success, for the engine and the OpenAPI document; by default 201 for POST, 204 for DELETE, else 200. */
  status?: number;
  /** Other success statuses `respond` may choose (e.g. 200 vs 201 of an upsert). */
  otherStatuses?: number[];
  responseSchema?: JsonSchema;
  /** Media type of a non-JSON success body (`respond` returns `raw`); JSON when absent. */
  responseContentType?: string;
  /** Response headers to document in OpenAPI (e.g. Content-Disposition of a download). */
  responseHeaders?: string[];
  /** Defaults to the dialect's usual error statuses for the path (see its `errorStatusesOf`). */
  errorStatuses?: number[];
}

/** A declaration with its dialect's defaults filled in, as the engine and OpenAPI read it. */
export interface RouteDeclaration extends RouteShape {
  operationId: string;
  status: number;
  errorStatuses: number[];
  dialect: Dialect;
  auth: AuthScheme;
  /** A GraphQL document with one operation; parsed and validated against the schema at start-up. */
  operation: string;
  variables: (input: RouteInput) => Record<string, unknown>;
  /** Maps the operation's data to the response; the document's selection is all that can leak. */
  respond: (data: unknown, input: RouteInput, variables: Record<string, unknown>) => RouteResult;
  /** Instead of `respond`: a declaration whose answer runs other declarations (SCIM /Bulk). */
  dispatch?: (data: unknown, input: RouteInput, run: RunDeclaration) => Promise<RouteResult>;
}

/**
 * A declaration as written: `operation` is a GraphQL literal (fragments interpolated as constants)
 * whose operation name finds its generated types.
 */
export type RouteSpec<S extends string> = RouteShape & {
  /** Defaults to the dialect's (SlashID: slashid_org_key; Secrets Vault: vault_api_key). */
  auth?: AuthScheme;
  operation: S;
  /** Defaults to an empty response (the status alone). */
  respond?: (data: DataOf<S>, input: RouteInput, variables: VariablesOf<S>) => RouteResult;
  dispatch?: (data: DataOf<S>, input: RouteInput, run: RunDeclaration) => Promise<RouteResult>;
} & (IsGenerated<S> extends false ? { 'codegen has not typed this operation: run npm run codegen': never }
  : TakesNoVariables<S> extends true ? { variables?: (input: RouteInput) => VariablesOf<S> }
  : { variables: (input: RouteInput) => VariablesOf<S> });

const EMPTY_RESPONSE = (): RouteResult => ({});
const SUCCESS_STATUS: Record<HttpMethod, number> = { GET: 200, PUT: 200, PATCH: 200, POST: 201, DELETE: 204 };
const NO_VARIABLES = () => ({});

/** Inserts the parameters the credentials imply: after the path's own, before the operation's headers and query. */
function withImplied(parameters: ParameterDeclaration[] | undefined, implied: ParameterDeclaration[], where: string) {
  if (!implied.length) return parameters;
  const own = parameters ?? [];
  for (const p of implied) {
    if (own.some((o) => o.in === p.in && o.name.toLowerCase() === p.name.toLowerCase())) {
      throw new Error(`${where}: ${p.name} is implied by its credentials; leave it out of parameters`);
    }
  }
  const at = own.findIndex((p) => p.in !== 'path');
  const index = at < 0 ? own.length : at;
  return [...own.slice(0, index), ...implied, ...own.slice(index)];
}

export function defineRoute<const S extends string>(dialect: Dialect, spec: RouteSpec<S>): RouteDeclaration {
  const auth = spec.auth ?? dialect.defaultAuth;
  const parameters = withImplied(spec.parameters, dialect.impliedParameters?.[auth] ?? [], `${spec.method} ${spec.path}`);
  const where = `${spec.method} ${spec.path}`;
  const operationId = spec.operationId ?? dialect.operationIdOf?.(spec.method, spec.path);
  const errorStatuses = spec.errorStatuses ?? dialect.errorStatusesOf?.(spec.path);
  if (!operationId || !errorStatuses) throw new Error(`${where}: the ${dialect.name} dialect has no default operationId or errorStatuses; declare them`);
  return {
    ...spec,
    operationId,
    status: spec.status ?? SUCCESS_STATUS[spec.method],
    errorStatuses,
    dialect,
    auth,
    ...(parameters ? { parameters } : {}),
    variables: (spec as { variables?: RouteDeclaration['variables'] }).variables ?? NO_VARIABLES,
    // The engine executes this very document, so its data has the generated type.
    respond: (spec.respond ?? EMPTY_RESPONSE) as RouteDeclaration['respond'],
    dispatch: spec.dispatch as RouteDeclaration['dispatch'],
  };
}
