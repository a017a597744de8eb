// A minimal browser for the hosted login page: keeps cookies, never follows redirects, reads forms.
import { hashPassword } from '../../src/crypto/password.ts';
import { Credential } from '../../src/domain/credential/credential.entity.ts';
import type { TestServer } from '../helpers/server.ts';
import { call, slashidHeaders, type Reply } from '../helpers/http.ts';
import type { TestOrg } from '../helpers/server.ts';

export class Browser {
  cookies = new Map<string, string>();

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(url: string | URL, init: { method?: string; form?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.remember(response);
    return { status: response.status, location: response.headers.get('location'), headers: response.headers, html: await response.text() };
  }
}

export const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
export const formAction = (html: string) => /<form method="post" action="([^"]+)"/.exec(html)?.[1].replace(/&amp;/g, '&');

/** Fills and submits the login form shown in `html`. */
export async function submitLogin(browser: Browser, html: string, handle: string, password: string) {
  return browser.request(formAction(html)!, {
    form: { auth_req_id: hidden(html, 'auth_req_id')!, csrf_token: hidden(html, 'csrf_token')!, handle, password },
  });
}

export async function submitConsent(browser: Browser, html: string, decision: 'allow' | 'deny') {
  return browser.request(formAction(html)!, {
    form: { auth_req_id: hidden(html, 'auth_req_id')!, csrf_token: hidden(html, 'csrf_token')!, decision },
  });
}

/** A person with handles and a password credential, created through the SlashID API. */
export async function createPersonWithPassword(server: TestServer, org: TestOrg, handles: { type: string; value: string }[], password: string) {
  const r: Reply = await call(server.url, 'POST', '/persons', { headers: slashidHeaders(org), json: { handles } });
  if (r.status !== 201) throw new Error(`person not created: ${r.text}`);
  const personId = r.body.result.person_id as string;
  const em = server.db.orm.em.fork();
  em.create(Credential, {
    id: crypto.randomUUID(), organization: org.id, person: personId, type: 'password', secret: await hashPassword(password),
  });
  await em.flush();
  return personId;
}
