// The sign-in page's passkeys (src/oidc/sign-in-pages.ts), bundled with the ZKP sign-in by
// src/oidc/login-script.ts. Sign-in: options from POST /webauthn/authenticate/options (for the
// identifier typed, or none: a discoverable credential), navigator.credentials.get, the answer
// to POST /webauthn/authenticate/verify, and the login ticket to GET /login/ticket. On the
// identifier step the browser also offers passkeys in the identifier field (conditional
// mediation). Enrolment after a password sign-in: options, navigator.credentials.create, the
// answer, then on to the application.

const toBytes = (b64url: string) => {
  const text = atob(b64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(b64url.length / 4) * 4, '='));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
};
const toB64url = (buffer: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

interface Descriptor { id: string; type: 'public-key'; transports?: AuthenticatorTransport[] }

function requestOptions(json: any): PublicKeyCredentialRequestOptions {
  return {
    ...json, challenge: toBytes(json.challenge),
    allowCredentials: (json.allowCredentials ?? []).map((c: Descriptor) => ({ ...c, id: toBytes(c.id) })),
  };
}

function creationOptions(json: any): PublicKeyCredentialCreationOptions {
  return {
    ...json, challenge: toBytes(json.challenge), user: { ...json.user, id: toBytes(json.user.id) },
    excludeCredentials: (json.excludeCredentials ?? []).map((c: Descriptor) => ({ ...c, id: toBytes(c.id) })),
  };
}

class PasskeyError extends Error {}

async function postJson(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store',
  });
  if (response.ok) return response.json();
  if (response.status === 401) throw new PasskeyError('That passkey was not accepted: try again or use another method');
  if (response.status === 404) throw new PasskeyError('This sign-in expired: go back to the application and start again');
  throw new PasskeyError('The passkey sign-in failed: try again');
}

async function postForm(url: string, fields: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(), credentials: 'same-origin', cache: 'no-store',
  });
  const body = await response.json().catch(() => ({})) as { detail?: unknown };
  if (!response.ok) throw new PasskeyError(typeof body.detail === 'string' ? body.detail : 'The passkey could not be created');
  return body;
}

const supported = () => typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;

function wireSignIn(root: HTMLElement) {
  const { authReqId, ticketUrl, identifier } = root.dataset;
  const button = root.querySelector<HTMLButtonElement>('#passkey-start');
  const error = root.querySelector<HTMLElement>('#passkey-error');
  if (!authReqId || !ticketUrl || !button || !error || !supported()) return;
  root.hidden = false;
  const query = `?auth_req_id=${encodeURIComponent(authReqId)}`;
  // The conditional (autofill) request while it waits; a modal request may start only once it is gone.
  let conditional: { controller: AbortController; settled: Promise<void> } | undefined;

  const signIn = async (controller?: AbortController) => {
    const options = await postJson(`/webauthn/authenticate/options${query}`, identifier ? { username: identifier } : {});
    const credential = await navigator.credentials.get({
      publicKey: requestOptions(options), ...(controller ? { mediation: 'conditional' as const, signal: controller.signal } : {}),
    }) as PublicKeyCredential | null;
    if (!credential) throw new PasskeyError('No passkey was chosen');
    const response = credential.response as AuthenticatorAssertionResponse;
    const login = await postJson(`/webauthn/authenticate/verify${query}`, {
      id: credential.id, raw_id: toB64url(credential.rawId), client_data_json: toB64url(response.clientDataJSON),
      authenticator_data: toB64url(response.authenticatorData), signature: toB64url(response.signature),
      user_handle: response.userHandle ? toB64url(response.userHandle) : null,
      authenticator_attachment: credential.authenticatorAttachment ?? null,
    });
    if (login.need_verify) throw new PasskeyError('This account needs a second factor, which this page cannot ask for yet');
    window.location.assign(`${ticketUrl}${query}&nonce=${encodeURIComponent(login.nonce)}`);
  };
  const report = (failure: unknown) => {
    if (failure instanceof DOMException && failure.name === 'AbortError') return;
    error.textContent = failure instanceof PasskeyError ? failure.message
      : failure instanceof DOMException && failure.name === 'NotAllowedError' ? 'The passkey sign-in was cancelled or timed out'
        : 'The passkey sign-in failed: try again';
    error.hidden = false;
  };
  button.addEventListener('click', async () => {
    error.hidden = true;
    root.setAttribute('aria-busy', 'true');
    const waiting = conditional;
    conditional = undefined;
    waiting?.controller.abort();
    await waiting?.settled;
    await signIn().catch(report);
    root.removeAttribute('aria-busy');
  });
  // The identifier step: the browser lists passkeys in the identifier field's autofill.
  if (identifier === undefined && typeof PublicKeyCredential.isConditionalMediationAvailable === 'function') {
    PublicKeyCredential.isConditionalMediationAvailable().then((available) => {
      if (!available) return;
      // A conditional request fails quietly (no passkey for this site, or the person typed instead);
      // only the server's refusal of a passkey the person chose is worth saying.
      const controller = new AbortController();
      conditional = {
        controller,
        settled: signIn(controller).catch((failure) => { if (failure instanceof PasskeyError && !controller.signal.aborted) report(failure); }),
      };
    }).catch(() => {});
  }
}

function wireEnrolment(root: HTMLElement) {
  const { authReqId, csrfToken, optionsUrl, registerUrl, continueUrl } = root.dataset;
  const button = root.querySelector<HTMLButtonElement>('#passkey-create');
  const error = root.querySelector<HTMLElement>('#passkey-enrol-error');
  if (!authReqId || !csrfToken || !optionsUrl || !registerUrl || !continueUrl || !button || !error || !supported()) return;
  root.hidden = false;
  const request = { auth_req_id: authReqId, csrf_token: csrfToken };
  button.addEventListener('click', async () => {
    error.hidden = true;
    button.disabled = true;
    root.setAttribute('aria-busy', 'true');
    try {
      const options = await postForm(optionsUrl, request);
      const credential = await navigator.credentials.create({ publicKey: creationOptions(options) }) as PublicKeyCredential | null;
      if (!credential) throw new PasskeyError('No passkey was created');
      const response = credential.response as AuthenticatorAttestationResponse;
      await postForm(registerUrl, {
        ...request, id: credential.id, raw_id: toB64url(credential.rawId), client_data_json: toB64url(response.clientDataJSON),
        attestation_object: toB64url(response.attestationObject), transports: (response.getTransports?.() ?? []).join(','),
        authenticator_attachment: credential.authenticatorAttachment ?? '',
      });
      window.location.assign(continueUrl);
      return;
    } catch (failure) {
      error.textContent = failure instanceof PasskeyError ? failure.message : 'The passkey was not created: try again, or choose Not now';
      error.hidden = false;
    }
    button.disabled = false;
    root.removeAttribute('aria-busy');
  });
}

const signInRoot = document.getElementById('passkey');
if (signInRoot instanceof HTMLElement) wireSignIn(signInRoot);
const enrolRoot = document.getElementById('passkey-enrol');
if (enrolRoot instanceof HTMLElement) wireEnrolment(enrolRoot);
