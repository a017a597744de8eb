// GET /login/zkp.js: the login page's script, this process's bundle, immutable under its hash
// (src/oidc/login-script.ts builds it).
import { defineEndpoint } from '../endpoint.ts';

export const loginScriptFile = defineEndpoint({
  kind: 'view', name: 'loginScript', methods: ['GET'],
  async view({ ctx, runtime }) {
    const built = await runtime.loginScript();
    if (!built) {
      ctx.status = 503;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { detail: 'The login script is not available' };
      return;
    }
    ctx.status = 200;
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('ETag', built.etag);
    ctx.set('Cache-Control', ctx.query.v === built.hash ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = built.code;
  },
});
