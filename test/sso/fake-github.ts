// A GitHub-like (and Bitbucket-like) OAuth 2.0 provider on loopback for the tests: the token
// endpoint checks the client, the code it handed out and the PKCE verifier; the user APIs answer
// for the access token it issued. `fail` makes one step misbehave. The authorization step is
// skipped: the test reads state and code_challenge off the authorization URL and calls idgraph's
// callback itself with `code`.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeFailure = 'none' | 'token-error' | 'user-500' | 'emails-401';

export interface FakeGitHub {
  baseUrl: string;
  /** The code the next callback carries, and the PKCE challenge of the sign-in under way (GitHub only). */
  code: string;
  challenge: string | null;
  user: { id: number; uuid: string; login: string };
  /** GitHub's shape; the Bitbucket paths answer the same addresses in theirs. */
  emails: { email: string; primary: boolean; verified: boolean }[];
  fail: FakeFailure;
  /** What the token endpoint saw last (for the assertions on client authentication and PKCE). */
  lastTokenRequest: { auth: 'basic' | 'post' | 'none'; verifier: string | null } | null;
  close: () => Promise<void>;
}

export async function startFakeGitHub(clients: { id: string; secret: string }[]): Promise<FakeGitHub> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issued = new Set<string>();
  const fake: FakeGitHub = {
    baseUrl, code: '', challenge: null, user: { id: 4242, uuid: '{0f0e0d0c-aaaa-bbbb-cccc-111122223333}', login: 'octo' },
    emails: [], fail: 'none', lastTokenRequest: null,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const json = (res: http.ServerResponse, body: unknown, status = 200) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };
  server.on('request', async (req, res) => {
    const path = new URL(req.url!, baseUrl).pathname;
    if (req.method === 'POST' && (path === '/login/oauth/access_token' || path === '/site/oauth2/access_token')) {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const form = new URLSearchParams(raw);
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
      const verifier = form.get('code_verifier');
      fake.lastTokenRequest = { auth: basic ? 'basic' : form.get('client_secret') ? 'post' : 'none', verifier };
      // GitHub answers errors of the token endpoint with 200 and an `error` member.
      const refuse = (error: string) => json(res, { error, error_description: `refused: ${error}` });
      if (fake.fail === 'token-error') return refuse('bad_verification_code');
      if (!clients.some((c) => c.id === id && c.secret === secret)) return refuse('incorrect_client_credentials');
      if (form.get('grant_type') !== 'authorization_code' || form.get('code') !== fake.code || !fake.code) return refuse('bad_verification_code');
      if (fake.challenge && (!verifier || crypto.createHash('sha256').update(verifier).digest('base64url') !== fake.challenge)) return refuse('invalid_grant');
      fake.code = '';
      const token = `gho_${crypto.randomBytes(12).toString('hex')}`;
      issued.add(token);
      return json(res, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !issued.has(token)) return json(res, { message: 'Bad credentials' }, 401);
    if (req.method === 'GET' && path === '/user') {
      if (fake.fail === 'user-500') return json(res, { message: 'Server Error' }, 500);
      return json(res, { id: fake.user.id, login: fake.user.login });
    }
    if (req.method === 'GET' && path === '/user/emails') {
      if (fake.fail === 'emails-401') return json(res, { message: 'Requires authentication' }, 401);
      return json(res, fake.emails.map((e) => ({ ...e, visibility: null })));
    }
    if (req.method === 'GET' && path === '/2.0/user') return json(res, { uuid: fake.user.uuid, account_id: 'acc-1', username: fake.user.login });
    if (req.method === 'GET' && path === '/2.0/user/emails') {
      return json(res, { pagelen: 10, page: 1, size: fake.emails.length, values: fake.emails.map((e) => ({ email: e.email, is_primary: e.primary, is_confirmed: e.verified, type: 'email' })) });
    }
    json(res, { message: 'Not Found' }, 404);
  });
  return fake;
}
