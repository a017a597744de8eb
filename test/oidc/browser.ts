// A minimal browser for the hosted login page: keeps cookies, never follows redirects, reads forms.
import { hashPassword } from '../../src/crypto/password.ts';
import { Credential } from '../../src/domain/credential/credential.entity.ts';
import { Organization } from '../../src/domain/organization/organization.entity.ts';
import { createPerson } from '../../src/domain/person/person.service.ts';
import type { CreatePersonInput } from '../../src/graphql/generated/types.ts';
import type { TestServer } from '../helpers/server.ts';

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

  async request(url: string | URL, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers, cookie: this.cookieHeader() };
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

/** The identifier step of the sign-in page: answers the page of that identifier's methods. */
export async function submitIdentifier(browser: Browser, html: string, handle: string) {
  return browser.request(formAction(html)!, {
    form: { auth_req_id: hidden(html, 'auth_req_id')!, csrf_token: hidden(html, 'csrf_token')!, handle, step: 'identifier' },
  });
}

/** The sign-in page as a person walks it without JavaScript: identifier, then password. */
export async function signInWithPassword(browser: Browser, html: string, handle: string, password: string) {
  const methods = await submitIdentifier(browser, html, handle);
  if (methods.status !== 200 || !methods.html.includes('name="password"')) throw new Error(`no password step: ${methods.status}`);
  return submitLogin(browser, methods.html, handle, password);
}

export async function submitConsent(browser: Browser, html: string, decision: 'allow' | 'deny') {
  return browser.request(formAction(html)!, {
    form: { auth_req_id: hidden(html, 'auth_req_id')!, csrf_token: hidden(html, 'csrf_token')!, decision },
  });
}

/** A person with handles and a password credential in an organization (through the domain service). */
export async function createPersonWithPassword(server: TestServer, organizationId: string, handles: { type: string; value: string }[], password: string) {
  const em = server.db.orm.em.fork();
  const org = await em.findOneOrFail(Organization, { id: organizationId });
  const person = await createPerson(em, org, { handles } as CreatePersonInput);
  em.create(Credential, {
    id: crypto.randomUUID(), organization: org.id, person: person.id, type: 'password', secret: await hashPassword(password),
  });
  await em.flush();
  return person.id;
}
