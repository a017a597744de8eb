// What an endpoint of the OpenID provider is (one module each in src/oidc/endpoints/; mounted for
// every issuer by src/oidc/issuers.ts, served by src/oidc/engine.ts). Three kinds:
// - a protocol endpoint runs a GraphQL operation, like a REST declaration: the OAuth dialect reads
//   the request (form or query, client credentials) into variables and writes the data raw;
// - a document of the issuer (discovery, JWKS) is JSON built without an operation;
// - a view of the browser flow (authorize, sign-in, consent, logout) reads and writes the wire
//   itself (HTML, redirects, cookies) and calls domain services.
import type { Context } from 'koa';
import type { GraphQLSchema } from 'graphql';
import type { Dialect } from '../rest/dialects/dialect.ts';
import type { Issuer } from '../domain/oauth/issuer.ts';
import type { KeyStore } from '../domain/oauth/keys.ts';
import type { ClientInfo } from '../domain/principal.ts';
import type { LoginScript } from './login-script.ts';
import type { Params } from './http.ts';

export type EndpointMethod = 'GET' | 'POST';

/** What the endpoints share: set once when the router is built. */
export interface OidcRuntime {
  schema: GraphQLSchema;
  keys: KeyStore;
  /** PUBLIC_URL, or the address the server listens on. */
  publicUrl: () => string;
  /** IP, country and user agent of a request (src/http/client-info.ts). */
  clientInfo: (ctx: Context) => ClientInfo;
  /** The login page's script, bundled once; undefined when the build failed (password form only). */
  loginScript: () => Promise<LoginScript | undefined>;
  /** Cookies get `Secure` when PUBLIC_URL is https. */
  secureCookies: () => boolean;
}

/** A request as an endpoint sees it. */
export interface EndpointRequest {
  ctx: Context;
  runtime: OidcRuntime;
  /** The issuer's tenant: null for the root issuer, undefined where the mount names no issuer. */
  tenantId: string | null | undefined;
  /** The issuer the mount names (NOT_FOUND for an unknown realm; undefined where it names none). */
  issuer: () => Promise<Issuer | undefined>;
}

export interface ProtocolRequest extends EndpointRequest {
  /** The single-valued parameters: the form of a POST, the query of a GET. */
  params: Params;
}

export interface Reply {
  body?: unknown;
  status?: number;
  headers?: Record<string, string>;
}

interface EndpointBase {
  /** For logs and the issuer table. */
  name: string;
  methods: EndpointMethod[];
  /** Called by browser apps directly: CORS for any origin, without cookies. */
  cors?: boolean;
}

export interface ProtocolEndpoint extends EndpointBase {
  kind: 'protocol';
  /** A GraphQL document with one operation: parsed and validated against the schema at start-up. */
  operation: string;
  /**
   * Who the operation runs as. `none`: nobody; the operation is PUBLIC and its arguments carry the
   * credentials the domain checks (client authentication). `access_token`: the person of the
   * Bearer access token, for the gate to admit.
   */
  credentials: 'none' | 'access_token';
  /** The wire of the answers (the OAuth dialect unless said). */
  dialect?: Dialect<string>;
  /** Reads the parameters when the default (form of a POST, query of a GET) does not fit. */
  readParams?: (ctx: Context) => Promise<Params> | Params;
  variables: (request: ProtocolRequest) => Record<string, unknown>;
  /** Maps the operation's data to the answer; the document's selection is all that can leak. */
  respond: (data: any, request: ProtocolRequest) => Reply;
}

export interface DocumentEndpoint extends EndpointBase {
  kind: 'document';
  serve: (request: EndpointRequest) => Promise<Reply>;
}

export interface ViewEndpoint extends EndpointBase {
  kind: 'view';
  view: (request: EndpointRequest) => Promise<void>;
}

export type Endpoint = ProtocolEndpoint | DocumentEndpoint | ViewEndpoint;

export const defineEndpoint = <E extends Endpoint>(endpoint: E): E => endpoint;

/** The object without its null and undefined members: absent claims and fields stay off the wire. */
export function present<T extends Record<string, unknown>>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(value)) if (v != null) out[key as keyof T] = v as T[keyof T];
  return out;
}

/** Seconds since the epoch of a DateTime the operation returned (JSON: an ISO string). */
export const epochSeconds = (value: string | Date | null | undefined) =>
  (value == null ? undefined : Math.floor(new Date(value).getTime() / 1000));
