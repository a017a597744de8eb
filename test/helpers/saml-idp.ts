// A SAML identity provider for tests, built with the library the server uses (samlify, IdP role)
// and a fresh self-signed key: serves its metadata on loopback and answers AuthnRequests with
// responses whose every field a test may change (audience, recipient, times, InResponseTo,
// signature or none, another key).
import http from 'node:http';
import zlib from 'node:zlib';
import { generate } from 'selfsigned';
import { Constants, IdentityProvider, SamlLib, ServiceProvider } from 'samlify';
import { samlLibrary } from '../../src/domain/sso/saml/saml-library.ts';

export interface KeyPair { key: string; cert: string }

export async function keyPair(name = 'Test IdP'): Promise<KeyPair> {
  const made = await generate([{ name: 'commonName', value: name }], { keySize: 2048, algorithm: 'sha256' } as never);
  return { key: made.private, cert: made.cert };
}

export interface ResponseOptions {
  email?: string;
  nameId?: string;
  nameIdFormat?: string;
  attributes?: Record<string, string>;
  audience?: string;
  recipient?: string;
  destination?: string;
  inResponseTo?: string;
  /** Seconds from now (negative: in the past). */
  notBefore?: number;
  notOnOrAfter?: number;
  assertionId?: string;
  /** `assertion` (default, as our SP metadata asks), `response`, or `none`. */
  sign?: 'assertion' | 'response' | 'none';
  /** Sign with another IdP's key (same entityID). */
  signer?: SamlTestIdp;
  /** Rewrites the filled-in XML before it is signed (raw markup a field value cannot carry). */
  beforeSigning?: (xml: string) => string;
}

const iso = (secondsFromNow: number) => new Date(Date.now() + secondsFromNow * 1000).toISOString();

export class SamlTestIdp {
  readonly entityId: string;
  readonly idp: ReturnType<typeof IdentityProvider>;
  /**
   * When set, GET /sso answers as a real IdP's page would after the person signed in: a form that
   * posts the response to the SP's ACS by itself (for browser tests).
   */
  autoAnswer?: { spMetadata: string; options: ResponseOptions };
  /** What GET /metadata answers instead of the metadata, when set. */
  metadataOverride?: { status: number; body: string; contentType?: string };
  readonly url: string;
  readonly keys: KeyPair;
  private readonly server: http.Server;

  private constructor(url: string, keys: KeyPair, server: http.Server, entityId?: string) {
    this.url = url;
    this.keys = keys;
    this.server = server;
    this.entityId = entityId ?? `${url}/idp`;
    this.idp = IdentityProvider({
      entityID: this.entityId, privateKey: keys.key, signingCert: keys.cert,
      singleSignOnService: [{ Binding: Constants.namespace.binding.redirect, Location: `${url}/sso` }],
      singleLogoutService: [{ Binding: Constants.namespace.binding.redirect, Location: `${url}/slo` }],
      nameIDFormat: [Constants.namespace.format.emailAddress],
    });
  }

  static async start(options: { entityId?: string; keys?: KeyPair } = {}): Promise<SamlTestIdp> {
    samlLibrary();
    const keys = options.keys ?? await keyPair();
    let self: SamlTestIdp | undefined;
    const server = http.createServer((req, res) => {
      if (req.url === '/metadata' && self) {
        const o = self.metadataOverride;
        res.writeHead(o?.status ?? 200, { 'content-type': o?.contentType ?? 'application/samlmetadata+xml' });
        return res.end(o ? o.body : self.idp.getMetadata());
      }
      if (req.url?.startsWith('/sso?') && self?.autoAnswer) {
        const { spMetadata, options } = self.autoAnswer;
        const acs = ServiceProvider({ metadata: spMetadata }).entityMeta.getAssertionConsumerService('post') as string;
        void self.answer(spMetadata, `${self.url}${req.url}`, options).then((form) => {
          const field = (name: string, value: string) => `<input type="hidden" name="${name}" value="${value.replace(/"/g, '&quot;')}">`;
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(`<!doctype html><html><body><form method="post" action="${acs}">${field('SAMLResponse', form.SAMLResponse)}${field('RelayState', form.RelayState)}`
            + '<noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script></body></html>');
        });
        return;
      }
      if (req.url === '/slow') return; // never answers
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    self = new SamlTestIdp(`http://127.0.0.1:${port}`, keys, server, options.entityId);
    return self;
  }

  get metadataUrl() { return `${this.url}/metadata`; }
  metadata() { return this.idp.getMetadata(); }
  close() {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections(); // a browser's keep-alive connections, the never-answered /slow
    return closed;
  }

  /** The AuthnRequest a redirect to our SSO URL carries: its ID and RelayState. */
  static readRequest(location: string) {
    const url = new URL(location);
    const xml = zlib.inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    return { id: /\sID="([^"]+)"/.exec(xml)![1], relayState: url.searchParams.get('RelayState') ?? undefined, xml };
  }

  /**
   * A response to the AuthnRequest in `location` for the SP of `spMetadata`, as an IdP's
   * auto-submitting form would post it to the ACS.
   */
  async answer(spMetadata: string, location: string, o: ResponseOptions = {}) {
    const request = SamlTestIdp.readRequest(location);
    const sp = ServiceProvider({ metadata: spMetadata });
    const acs = sp.entityMeta.getAssertionConsumerService('post') as string;
    const signer = o.signer ?? this;
    const attributes = Object.entries(o.attributes ?? (o.email ? { email: o.email } : {}));
    const statement = attributes.length ? `<saml:AttributeStatement>${attributes.map(([name, value]) =>
      `<saml:Attribute Name="${name}"><saml:AttributeValue>${value}</saml:AttributeValue></saml:Attribute>`).join('')}</saml:AttributeStatement>` : '';
    const assertionId = o.assertionId ?? `_a${Math.random().toString(16).slice(2)}${Date.now()}`;
    const fill = (template: string) => SamlLib.replaceTagsByValue(template, {
      ID: `_r${Math.random().toString(16).slice(2)}`, AssertionID: assertionId,
      Destination: o.destination ?? acs, Audience: o.audience ?? sp.entityMeta.getEntityID(), SubjectRecipient: o.recipient ?? acs,
      Issuer: this.entityId, IssueInstant: iso(0), StatusCode: Constants.StatusCode.Success,
      ConditionsNotBefore: iso(o.notBefore ?? -5), ConditionsNotOnOrAfter: iso(o.notOnOrAfter ?? 300),
      SubjectConfirmationDataNotOnOrAfter: iso(o.notOnOrAfter ?? 300),
      NameIDFormat: o.nameIdFormat ?? Constants.namespace.format.persistent, NameID: o.nameId ?? `subject-of-${o.email ?? 'nobody'}`,
      InResponseTo: o.inResponseTo ?? request.id, AuthnStatement: '',
    }).replace('{AttributeStatement}', statement);
    const filled = (template: string) => (o.beforeSigning ?? ((xml: string) => xml))(fill(template));
    const sign = o.sign ?? 'assertion';
    if (sign === 'none') {
      return { SAMLResponse: Buffer.from(filled(SamlLib.defaultLoginResponseTemplate.context)).toString('base64'), RelayState: request.relayState ?? '' };
    }
    // samlify signs the assertion when the SP's metadata asks for it, else the whole response.
    const target = sign === 'response'
      ? ServiceProvider({ entityID: sp.entityMeta.getEntityID(), wantAssertionsSigned: false, assertionConsumerService: [{ Binding: Constants.namespace.binding.post, Location: acs }] })
      : sp;
    const made = await signer.idp.createLoginResponse(target, { extract: { request: { id: request.id } } }, 'post', {},
      (template: string) => ({ id: assertionId, context: filled(template) }));
    return { SAMLResponse: (made as { context: string }).context, RelayState: request.relayState ?? '' };
  }
}
