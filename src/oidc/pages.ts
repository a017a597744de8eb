// The hosted login pages: server-rendered HTML that works as plain form posts, without JavaScript
// or external assets (the client's logo is the one image, and only an https or data URL). The one
// script is the sign-in page's (served by us, src/oidc/login-script.ts): the markup of the
// methods that need it (passkey, PIN, pattern) is rendered hidden and the script reveals it, so
// without JavaScript only the identifier and password forms show. No page has inline script. The
// sign-in steps themselves are in src/oidc/sign-in-pages.ts.
import type { Context } from 'koa';
import type { OAuthClient } from '../domain/oauth/oauth-client.entity.ts';
import type { ZkpMethod } from '../domain/login/login-methods.ts';

export const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.1);width:min(22rem,90vw)}
h1{font-size:1.25rem;margin:.5rem 0 1rem}label{display:block;margin:.75rem 0 .25rem;font-size:.9rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #bbb;border-radius:4px;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1rem;border:0;border-radius:4px;background:#2454d6;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#ddd;color:#222;margin-left:.5rem}button.sso{display:block;width:100%;background:#fff;color:#222;border:1px solid #bbb}.error{color:#b00020;font-size:.9rem}img{max-height:48px;max-width:100%}
ul{padding-left:1.2rem}.or{text-align:center;color:#555;font-size:.9rem;margin:1.25rem 0 0;border-top:1px solid #ddd;padding-top:1rem}
.method{margin-top:.5rem}.grid{display:grid;gap:.5rem;margin:.25rem 0;max-width:14rem}
.grid button{margin:0;aspect-ratio:1;border-radius:50%;background:#e8ebf3;color:#2454d6;font-weight:600;padding:0;border:2px solid #c5ccdf}
.grid button[aria-pressed=true]{background:#2454d6;color:#fff;border-color:#2454d6}
button.link{background:none;color:#2454d6;padding:0;margin-top:1rem;font-size:.9rem;text-decoration:underline}
.who{margin:.25rem 0 0;color:#333}a{color:#2454d6}`;

function logoOf(client: OAuthClient): string | undefined {
  const candidate = (client.details?.logoUri ?? client.uiConfiguration?.logoUrl) as string | undefined;
  if (!candidate) return undefined;
  return /^https:\/\//i.test(candidate) || /^data:image\/(png|jpeg|gif|webp);base64,/i.test(candidate) ? candidate : undefined;
}

const CSP = "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
/** A page that loads our login script: scripts and fetches from our origin only (no inline script). */
const CSP_WITH_SCRIPT = `${CSP}; script-src 'self'; connect-src 'self'`;

export function page(ctx: Context, status: number, title: string, body: string, script?: string) {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', script ? CSP_WITH_SCRIPT : CSP);
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style>${script ? `<script src="${escape(script)}" defer></script>` : ''}</head><body><main>${body}</main></body></html>`;
}

export function header(client: OAuthClient) {
  const logo = logoOf(client);
  const title = (client.uiConfiguration?.pageTitle as string | undefined) ?? `Sign in to ${client.name}`;
  return `${logo ? `<img src="${escape(logo)}" alt="${escape(client.name)} logo" referrerpolicy="no-referrer">` : ''}<h1>${escape(title)}</h1>`;
}

/** The zero-knowledge sign-in the login page offers (zkpLoginMethods decides which methods). */
export interface ZkpOffer {
  /** LOGIN_SCRIPT_PATH?v=<hash of the bundle> */
  scriptUrl: string;
  tenantId: string;
  ticketUrl: string;
  /** In the tenant's login_order. */
  methods: ZkpMethod[];
}

export function zkpMethod(method: ZkpMethod): string {
  if (method.kind === 'PIN') {
    return `<div class="method" id="zkp-pin-method"><label for="zkp-pin">PIN (${method.size} digits)</label>
<input type="${method.visible ? 'text' : 'password'}" id="zkp-pin" inputmode="numeric" pattern="[0-9]{${method.size}}" minlength="${method.size}" maxlength="${method.size}" autocomplete="off" data-size="${method.size}">
<button type="submit" data-method="PIN">Sign in with PIN</button></div>`;
  }
  const cells = Array.from({ length: method.size * method.size }, (_, i) =>
    `<button type="button" data-cell="${i + 1}" aria-label="Dot ${i + 1}" aria-pressed="false"></button>`).join('');
  return `<div class="method" id="zkp-pattern"><p id="zkp-pattern-label">Pattern: select the dots in order</p>
<div class="grid" role="group" aria-labelledby="zkp-pattern-label" style="grid-template-columns:repeat(${method.size},1fr)">${cells}</div>
<button type="submit" data-method="PATTERN">Sign in with pattern</button><button type="button" class="secondary" id="zkp-pattern-clear">Clear</button></div>`;
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are', profile: 'See your username and locale', email: 'See your email address',
  phone: 'See your phone number', offline_access: 'Stay signed in when you are away',
  'profile:write': 'Change your secret and your email address', 'api-keys:write': 'Create API keys for your account',
  'api-keys:read': 'See your API keys', 'sessions:read': 'See where you are signed in', 'sessions:write': 'End your sessions',
};

export function consentPage(ctx: Context, action: string, client: OAuthClient, fields: { authReqId: string; csrf: string; scope: string[] }) {
  const items = fields.scope.map((s) => `<li>${escape(SCOPE_TEXT[s] ?? s)}</li>`).join('');
  page(ctx, 200, `Allow ${client.name}?`, `${header(client)}
<p><strong>${escape(client.name)}</strong> asks to:</p><ul>${items || '<li>Sign you in</li>'}</ul>
<form method="post" action="${escape(action)}">
<input type="hidden" name="auth_req_id" value="${escape(fields.authReqId)}">
<input type="hidden" name="csrf_token" value="${escape(fields.csrf)}">
<button type="submit" name="decision" value="allow">Allow</button><button class="secondary" type="submit" name="decision" value="deny">Deny</button>
</form>`);
}

export function errorPage(ctx: Context, status: number, error: string, description: string) {
  page(ctx, status, 'Sign-in error', `<h1>Sign-in cannot continue</h1><p class="error">${escape(error)}: ${escape(description)}</p>
<p>Go back to the application and try again.</p>`);
}

export function signedOutPage(ctx: Context) {
  page(ctx, 200, 'Signed out', '<h1>You are signed out</h1><p>You can close this window.</p>');
}
