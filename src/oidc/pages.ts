// The hosted login pages: server-rendered HTML that works as plain form posts, without JavaScript
// or external assets (the client's logo is the one image, and only an https or data URL).
import type { Context } from 'koa';
import type { OAuthClient } from '../domain/oauth/oauth-client.entity.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.1);width:min(22rem,90vw)}
h1{font-size:1.25rem;margin:.5rem 0 1rem}label{display:block;margin:.75rem 0 .25rem;font-size:.9rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #bbb;border-radius:4px;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1rem;border:0;border-radius:4px;background:#2454d6;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#ddd;color:#222;margin-left:.5rem}.error{color:#b00020;font-size:.9rem}img{max-height:48px;max-width:100%}
ul{padding-left:1.2rem}`;

function logoOf(client: OAuthClient): string | undefined {
  const candidate = (client.details?.logoUri ?? client.uiConfiguration?.logoUrl) as string | undefined;
  if (!candidate) return undefined;
  return /^https:\/\//i.test(candidate) || /^data:image\/(png|jpeg|gif|webp);base64,/i.test(candidate) ? candidate : undefined;
}

function page(ctx: Context, status: number, title: string, body: string) {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function header(client: OAuthClient) {
  const logo = logoOf(client);
  const title = (client.uiConfiguration?.pageTitle as string | undefined) ?? `Sign in to ${client.name}`;
  return `${logo ? `<img src="${escape(logo)}" alt="${escape(client.name)} logo" referrerpolicy="no-referrer">` : ''}<h1>${escape(title)}</h1>`;
}

export function loginPage(ctx: Context, action: string, client: OAuthClient,
  fields: { authReqId: string; csrf: string; handle?: string; error?: string }, errorStatus = 401) {
  page(ctx, fields.error ? errorStatus : 200, `Sign in to ${client.name}`, `${header(client)}
<form method="post" action="${escape(action)}">
<input type="hidden" name="auth_req_id" value="${escape(fields.authReqId)}">
<input type="hidden" name="csrf_token" value="${escape(fields.csrf)}">
${fields.error ? `<p class="error" role="alert">${escape(fields.error)}</p>` : ''}
<label for="handle">Email, phone number or username</label>
<input type="text" id="handle" name="handle" autocomplete="username" required value="${escape(fields.handle ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`);
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
