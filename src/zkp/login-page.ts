// The hosted login page's zero-knowledge sign-in (docs/zkp.md, "Sign-in for an authorize request"),
// bundled for browsers by src/oidc/login-script.ts. The page (src/oidc/pages.ts) renders the
// markup hidden; this script shows it and wires it, so without JavaScript only the password form
// is there. The PIN (its digits as typed) or the pattern (the dots in the order drawn, numbered
// 1… row by row, joined with "-") is the secret material: it never leaves the browser.
import { authenticateBody, challengeBody, deriveZkpKeys } from './client.ts';
import './passkey-page.ts';

const root = document.getElementById('zkp');
if (root instanceof HTMLElement) wire(root);

function wire(root: HTMLElement) {
  const { tenantId, authReqId, ticketUrl } = root.dataset;
  const form = root.querySelector<HTMLFormElement>('#zkp-form');
  const error = root.querySelector<HTMLElement>('#zkp-error');
  const username = root.querySelector<HTMLInputElement>('#zkp-username');
  if (!tenantId || !authReqId || !ticketUrl || !form || !error || !username) return;
  root.hidden = false;
  const pin = root.querySelector<HTMLInputElement>('#zkp-pin');
  const pattern: number[] = [];
  const cells = [...root.querySelectorAll<HTMLButtonElement>('#zkp-pattern button[data-cell]')];
  const buttons = [...form.querySelectorAll<HTMLButtonElement>('button[type=submit]')];

  const show = (message: string) => { error.textContent = message; error.hidden = false; };
  const clearPattern = () => {
    pattern.length = 0;
    for (const cell of cells) { cell.setAttribute('aria-pressed', 'false'); cell.textContent = ''; }
  };
  for (const cell of cells) {
    cell.addEventListener('click', () => {
      const n = Number(cell.dataset.cell);
      if (pattern.includes(n)) return;
      pattern.push(n);
      cell.setAttribute('aria-pressed', 'true');
      cell.textContent = String(pattern.length);
    });
  }
  root.querySelector('#zkp-pattern-clear')?.addEventListener('click', clearPattern);
  // Enter in the PIN field signs in with the PIN, whatever method the page lists first.
  pin?.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    form.requestSubmit(form.querySelector<HTMLButtonElement>('button[data-method=PIN]'));
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const method = submitter?.dataset.method ?? buttons[0]?.dataset.method;
    error.hidden = true;
    const name = username.value.trim();
    if (!name) return show('Enter your username');
    let secret: string;
    if (method === 'PIN' && pin) {
      const size = Number(pin.dataset.size);
      if (!new RegExp(`^[0-9]{${size}}$`).test(pin.value)) return show(`Enter your ${size}-digit PIN`);
      secret = pin.value;
    } else if (method === 'PATTERN') {
      if (pattern.length < 2) return show('Draw your pattern: select the dots in order');
      secret = pattern.join('-');
    } else {
      return;
    }
    for (const b of buttons) b.disabled = true;
    root.setAttribute('aria-busy', 'true');
    try {
      const ticket = await signIn(tenantId, authReqId, name, secret, method === 'PIN' ? 'PIN' : 'pattern');
      if (ticket) {
        window.location.assign(`${ticketUrl}?auth_req_id=${encodeURIComponent(authReqId)}&nonce=${encodeURIComponent(ticket)}`);
        return;
      }
    } catch (failure) {
      show(failure instanceof SignInError ? failure.message : 'The sign-in could not reach the server: try again');
    }
    if (pin) pin.value = '';
    clearPattern();
    for (const b of buttons) b.disabled = false;
    root.removeAttribute('aria-busy');
  });
}

class SignInError extends Error {}

/** challenge → proof → authenticate; answers the login ticket's nonce. */
async function signIn(tenantId: string, authReqId: string, username: string, secret: string, what: string) {
  const keys = await deriveZkpKeys(secret, { tenantId, username });
  const query = `?auth_req_id=${encodeURIComponent(authReqId)}`;
  const challenge = await post(`/auth/challenge${query}`, challengeBody(keys), what);
  const login = await post(`/auth/authenticate${query}`, authenticateBody(keys, challenge), what);
  if (login.need_verify) throw new SignInError('This account needs a second factor, which this page cannot ask for yet');
  if (typeof login.nonce !== 'string') throw new SignInError('The server gave no sign-in ticket: try again');
  return login.nonce as string;
}

async function post(path: string, body: unknown, what: string) {
  const response = await fetch(path, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store',
  });
  if (response.ok) return response.json();
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    const wait = Number.isFinite(seconds) && seconds > 0 ? `in ${waitText(seconds)}` : 'later';
    throw new SignInError(`Too many failed attempts: try again ${wait}`);
  }
  if (response.status === 401) throw new SignInError(`Wrong username or ${what}`);
  if (response.status === 404) throw new SignInError('This sign-in expired: go back to the application and start again');
  throw new SignInError('The sign-in failed: try again');
}

function waitText(seconds: number) {
  if (seconds < 90) return `${Math.ceil(seconds)} seconds`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}
