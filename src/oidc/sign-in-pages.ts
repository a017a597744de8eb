// The hosted sign-in page, identifier first: one field (email, phone number or username), or a
// passkey straight away (the browser offers it in that field through conditional mediation, or
// by the button); then only the methods that person has and the tenant allows, with a way back;
// after a password sign-in, an offer to create a passkey. Every step is a plain form post, so
// without JavaScript the identifier and password steps work; the passkey, PIN and pattern markup
// is rendered hidden and shown by the script.
import type { Context } from 'koa';
import type { OAuthClient } from '../domain/oauth/oauth-client.entity.ts';
import type { SignInMethods } from '../domain/login/sign-in-methods.ts';
import type { BrokeredProvider } from '../domain/sso/brokered-providers.ts';
import { escape, header, page, zkpMethod } from './pages.ts';

/** Where the page's script sends the browser and what it calls; the script URL carries its hash. */
export interface PageScript {
  scriptUrl: string;
  /** GET /login/ticket: redeems the login ticket of a passkey or ZKP sign-in. */
  ticketUrl: string;
}

export interface StepFields {
  action: string;
  authReqId: string;
  csrf: string;
  handle?: string;
  error?: string;
}

const hiddenFields = (f: StepFields) => `<input type="hidden" name="auth_req_id" value="${escape(f.authReqId)}">
<input type="hidden" name="csrf_token" value="${escape(f.csrf)}">`;
const errorLine = (error?: string) => (error ? `<p class="error" role="alert">${escape(error)}</p>` : '');

function passkeySection(f: StepFields, script: PageScript, identifier: string | undefined, trailer: string) {
  return `<section id="passkey" hidden data-auth-req-id="${escape(f.authReqId)}" data-ticket-url="${escape(script.ticketUrl)}"${
    identifier !== undefined ? ` data-identifier="${escape(identifier)}"` : ''}>
<button type="button" id="passkey-start">Sign in with a passkey</button>
<p id="passkey-error" class="error" role="alert" hidden></p>
${trailer}</section>
`;
}

/**
 * "Continue with <label>": one form, a submit button per upstream provider (`sso` = kind:id), posted
 * to the login step like the others; works without JavaScript.
 */
function brokeredSection(f: StepFields, providers: readonly BrokeredProvider[]) {
  if (!providers.length) return '';
  return `<form method="post" action="${escape(f.action)}" id="sso-form">
${hiddenFields(f)}
${providers.map((p) => `<button type="submit" name="sso" value="${escape(`${p.kind}:${p.id}`)}" class="sso" data-kind="${escape(p.kind)}">Continue with ${escape(p.label)}</button>`).join('\n')}
</form>
<p class="or">or</p>
`;
}

/**
 * Step 1: who is signing in. `passkey` when the tenant allows passkeys (and the script is there);
 * `providers`: the upstream providers offered for brokered sign-in.
 */
export function identifierPage(ctx: Context, client: OAuthClient, f: StepFields, passkey?: PageScript, status = 200,
  providers: readonly BrokeredProvider[] = []) {
  page(ctx, f.error ? status : 200, `Sign in to ${client.name}`, `${header(client)}
${brokeredSection(f, providers)}${passkey ? passkeySection(f, passkey, undefined, '<p class="or">or continue with your email, phone number or username</p>\n') : ''}<form method="post" action="${escape(f.action)}" id="identifier-form">
${hiddenFields(f)}
${errorLine(f.error)}
<label for="handle">Email, phone number or username</label>
<input type="text" id="handle" name="handle" autocomplete="username webauthn" autocapitalize="none" spellcheck="false" required value="${escape(f.handle ?? '')}">
<button type="submit" name="step" value="identifier">Continue</button>
</form>`, passkey?.scriptUrl);
}

/** Step 2: the methods of `f.handle`. `script` is needed for passkey, PIN and pattern. */
export function methodsPage(ctx: Context, client: OAuthClient, f: StepFields & { handle: string; tenantId: string },
  methods: SignInMethods, script?: PageScript, status = 401) {
  const zkp = script && methods.zkp.length ? methods.zkp : [];
  const passkey = script && methods.passkey;
  const zkpSection = zkp.length ? `<section id="zkp" hidden data-tenant-id="${escape(f.tenantId)}" data-auth-req-id="${escape(f.authReqId)}" data-ticket-url="${escape(script!.ticketUrl)}">
<form id="zkp-form" novalidate>
<input type="hidden" id="zkp-username" name="username" value="${escape(f.handle)}">
${zkp.map(zkpMethod).join('\n')}
<p id="zkp-error" class="error" role="alert" hidden></p>
</form>
${methods.password ? '<p class="or">or sign in with your password</p>\n' : ''}</section>
` : '';
  const password = methods.password ? `<form method="post" action="${escape(f.action)}" id="password-form">
${hiddenFields(f)}
<input type="hidden" name="handle" value="${escape(f.handle)}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
` : '';
  const none = !methods.password && !zkp.length && !passkey
    ? '<p>This account signs in with a method that needs JavaScript: turn it on and reload the page.</p>\n' : '';
  page(ctx, f.error ? status : 200, `Sign in to ${client.name}`, `${header(client)}
<p class="who" id="signing-in-as">Signing in as <strong>${escape(f.handle)}</strong></p>
${errorLine(f.error)}
${passkey ? passkeySection(f, script!, f.handle, zkp.length || methods.password ? '<p class="or">or</p>\n' : '') : ''}${zkpSection}${password}${none}<form method="post" action="${escape(f.action)}" id="back-form">
${hiddenFields(f)}
<button type="submit" name="step" value="back" class="link">Use another account</button>
</form>`, zkp.length || passkey ? script!.scriptUrl : undefined);
}

/** After a password sign-in: create a passkey now (script), or go on without (a plain link). */
export function enrolmentPage(ctx: Context, client: OAuthClient,
  f: { authReqId: string; csrf: string; continueUrl: string; optionsUrl: string; registerUrl: string }, script: PageScript) {
  page(ctx, 200, 'Sign in faster next time', `${header(client)}
<p>Sign in faster next time: create a passkey on this device. Your fingerprint, face or screen lock unlocks it; nothing to remember.</p>
<section id="passkey-enrol" hidden data-auth-req-id="${escape(f.authReqId)}" data-csrf-token="${escape(f.csrf)}" data-options-url="${escape(f.optionsUrl)}" data-register-url="${escape(f.registerUrl)}" data-continue-url="${escape(f.continueUrl)}">
<button type="button" id="passkey-create">Create a passkey</button>
<p id="passkey-enrol-error" class="error" role="alert" hidden></p>
</section>
<p><a href="${escape(f.continueUrl)}" id="passkey-skip">Not now</a></p>`, script.scriptUrl);
}
