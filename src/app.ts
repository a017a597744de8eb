// Koa composition: request id and access log → error boundary → em fork → REST routes, /graphql,
// /openapi.json.
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import crypto from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { DEFAULT_PASSWORD_RESET_URL, type Config } from './config.ts';
import type { Logger } from './log.ts';
import { buildSchema } from './graphql/schema.ts';
import { buildRestRouter } from './rest/engine.ts';
import { buildOpenApi } from './rest/openapi.ts';
import { routes } from './rest/routes/index.ts';
import { mountGraphQL } from './http/graphql.ts';
import { clientInfoReader } from './http/client-info.ts';
import { errorSummary } from './http/error-summary.ts';
import { refuseUnreadableBody } from './http/json-body-errors.ts';
import { dialectForPath, unmatchedRequests } from './http/fallback.ts';
import { wireErrorOf, writeError } from './rest/dialects/dialect.ts';
import { databaseUnavailable, isDatabaseUnavailable } from './http/db-unavailable.ts';
import { buildOidcRouter } from './oidc/router.ts';
import { MOUNTS } from './oidc/issuers.ts';
import { oidcPaths } from './oidc/openapi-paths.ts';
import { KeyStore, loadMasterKey } from './domain/oauth/keys.ts';
import type { AppServices } from './domain/services.ts';
import { purgeExpiredOAuthRows } from './domain/oauth/purge.queries.ts';
import { ClientCache } from './domain/oauth/clients.queries.ts';
import { ApiKeyCache } from './domain/organization/api-key-lookup.queries.ts';
import { InvalidationListener } from './db/invalidation.ts';
import { Sealer } from './crypto/sealed.ts';
import { webauthnSettings } from './domain/webauthn/webauthn-settings.ts';
import { WebhookSigner } from './domain/webhook/webhook-signer.ts';
import { WebhookTransport } from './domain/webhook/transport.ts';
import { EventSender } from './domain/webhook/sender.ts';
import { configureTierLimits } from './domain/organization/quota.ts';

export interface AppDeps {
  orm: MikroORM;
  config: Pick<Config, 'maxBodyBytes' | 'maxImportBytes' | 'masterKey' | 'dataDir' | 'trustProxyHops' | 'countryHeader' | 'defaultRegion'
    | 'webhookPollMs' | 'webhookRetryBaseMs' | 'webhookMaxAttempts' | 'webhookAllowHttpLoopback' | 'webhookCa' | 'webhookSyncFailure'>
    & Partial<Pick<Config, 'ssoAllowHttpLoopback' | 'ssoHttpTimeoutMs'>>
    & Partial<Pick<Config, 'webauthnRpId' | 'webauthnOrigins' | 'webauthnUserVerification' | 'tierLimits' | 'passwordResetUrl'>>;
  log: Logger;
  /** The root issuer: PUBLIC_URL, or the address the server listens on (known after listen). */
  publicUrl: () => string;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function createApp({ orm, config, log, publicUrl }: AppDeps) {
  const app = new Koa();
  const schema = buildSchema();
  configureTierLimits(config.tierLimits ?? {});

  // Requests still running; stopping waits for them so none loses its database mid-query.
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const idle = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => { drained = resolve; }));

  app.use(async (ctx, next) => {
    inFlight++;
    try {
      await next();
    } finally {
      if (--inFlight === 0) drained?.();
    }
  });

  app.use(async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      // The path only: never the query string (it may hold handles), a header or a body.
      log.info('request', {
        request_id: requestId, method: ctx.method, path: ctx.path, status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  });

  const dialectOf = dialectForPath(routes);
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status && status >= 400 && status < 500 && (error as { expose?: boolean }).expose) {
        writeError(ctx, dialectOf(ctx.path), { code: 'BAD_REQUEST', status, message: (error as Error).message });
        return;
      }
      if (isDatabaseUnavailable(error)) {
        writeError(ctx, dialectOf(ctx.path), { ...wireErrorOf(databaseUnavailable()), status: 503 });
        return;
      }
      log.error('unhandled_error', { request_id: ctx.state.requestId, ...errorSummary(error) });
      writeError(ctx, dialectOf(ctx.path), {
        code: 'INTERNAL', status: 500, message: `Internal error; quote request id ${ctx.state.requestId}`,
      });
    }
  });

  const masterKey = await loadMasterKey(config.masterKey, config.dataDir, log, orm);
  const keys = new KeyStore(orm, masterKey);
  await keys.load();
  // Process-memory caches stay correct through the database: see src/db/invalidation.ts.
  const clients = new ClientCache();
  const apiKeys = new ApiKeyCache();
  const invalidation = new InvalidationListener(orm.config.get('clientUrl')!, log);
  invalidation.register(clients);
  invalidation.register(apiKeys);
  invalidation.register(keys);
  await invalidation.start();
  const sealer = new Sealer(masterKey);
  const webhooks = {
    signer: new WebhookSigner(orm, sealer), sealer, issuer: publicUrl, syncFailure: config.webhookSyncFailure,
    transport: new WebhookTransport({ allowLoopback: config.webhookAllowHttpLoopback, extraCa: config.webhookCa ? [config.webhookCa] : [] }),
  };
  const services: AppServices = {
    keys, clients, apiKeys, sealer, publicUrl, defaultRegion: config.defaultRegion, webhooks,
    webauthn: webauthnSettings(publicUrl, config), passwordResetUrl: config.passwordResetUrl ?? DEFAULT_PASSWORD_RESET_URL,
    sso: { allowHttpLoopback: config.ssoAllowHttpLoopback ?? false, timeoutMs: config.ssoHttpTimeoutMs ?? 5000 },
  };
  // Delivers committed events to webhooks (src/domain/webhook/sender.ts); WEBHOOK_POLL_MS=0 turns it off.
  const sender = config.webhookPollMs > 0
    ? new EventSender(orm, webhooks, { pollMs: config.webhookPollMs, retryBaseMs: config.webhookRetryBaseMs, maxAttempts: config.webhookMaxAttempts }, log).start()
    : undefined;

  app.use(async (ctx, next) => {
    ctx.state.em = orm.em.fork();
    ctx.state.services = services;
    await next();
  });
  // Routers register below; the fallback reads their paths when a request matched none.
  const routers: Router[] = [];
  app.use(unmatchedRequests(routers, dialectOf));

  const clientInfo = clientInfoReader(config);
  const oidc = buildOidcRouter({ schema, keys, publicUrl, clientInfo, log });
  app.use(oidc.routes());
  routers.push(oidc);

  const rest = buildRestRouter(routes, {
    schema, maxBodyBytes: config.maxBodyBytes, maxUploadBytes: config.maxImportBytes, log, clientInfo,
  });
  app.use(rest.routes());

  const meta = new Router();
  const openApi = buildOpenApi(routes);
  openApi.paths = { ...openApi.paths, ...oidcPaths(MOUNTS) };
  meta.get('/openapi.json', (ctx) => { ctx.body = openApi; });
  meta.get('/healthz', (ctx) => { ctx.body = { status: 'ok' }; });
  app.use(meta.routes());
  routers.push(meta);

  const graphql = await mountGraphQL(app, schema, {
    bodyParser: bodyParser({ jsonLimit: config.maxBodyBytes, enableTypes: ['json'], onError: refuseUnreadableBody }), log, clientInfo,
  });
  routers.push(graphql.router);

  // Expired authorization requests, sessions and tokens are deleted hourly (a day after expiry).
  const purge = setInterval(() => {
    purgeExpiredOAuthRows(orm.em.fork()).catch((error) => log.error('oauth_purge_failed', { message: (error as Error).message }));
  }, 3600_000);
  purge.unref();

  const stop = async (graceMs = 10_000) => {
    clearInterval(purge);
    await Promise.race([idle(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    await sender?.stop();
    await invalidation.stop();
    await graphql.stop();
  };
  return { app, keys, invalidation, stop };
}
