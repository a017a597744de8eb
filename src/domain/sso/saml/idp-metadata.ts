// The IdP's metadata document: its URL's rule, the fetch (no redirects, a deadline, a size limit,
// no connection to a private address unless loopback is allowed for tests), and what the sign-in
// needs from it (entityID, a redirect-binding SSO URL, a signing certificate). Anything else
// is refused here, at create or patch time, with a 400 that says what is wrong.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { IdentityProvider } from 'samlify';
import { ValidationFailed } from '../../errors.ts';
import { outwardLookup } from '../../outward-lookup.ts';
import { samlLibrary } from './saml-library.ts';

export const METADATA_TIMEOUT_MS = 5000;
export const MAX_METADATA_BYTES = 512 * 1024;
export const MAX_METADATA_URL_LENGTH = 2048;

const invalid = (message: string) =>
  new ValidationFailed(message, [{ loc: ['body', 'idp_metadata_url'], msg: message, type: 'value_error' }]);

/**
 * `https`, a host name (no IP address, no `localhost`), no credentials or fragment. With
 * `allowLoopback` (SSO_ALLOW_HTTP_LOOPBACK=1, development and tests) http(s)://127.0.0.1 too
 * (not `localhost`: the one loopback address the webhook rule allows too).
 */
export function assertMetadataUrl(raw: string, allowLoopback: boolean): string {
  if (raw.length > MAX_METADATA_URL_LENGTH) throw invalid(`idp_metadata_url must be at most ${MAX_METADATA_URL_LENGTH} characters`);
  let url: URL;
  try { url = new URL(raw); } catch { throw invalid('idp_metadata_url must be an absolute https URL'); }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = allowLoopback && host === '127.0.0.1' && ['http:', 'https:'].includes(url.protocol);
  if (url.protocol !== 'https:' && !loopback) throw invalid('idp_metadata_url must use https');
  if (url.username || url.password) throw invalid('idp_metadata_url must not carry credentials');
  if (raw.includes('#')) throw invalid('idp_metadata_url must not have a fragment');
  if (!loopback) {
    if (net.isIP(host) || /^\d+$/.test(host) || /^0x[0-9a-f]+$/i.test(host)) throw invalid('idp_metadata_url must name a host, not an IP address');
    if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) {
      throw invalid('idp_metadata_url must name a public host (not localhost or a single-label name)');
    }
  }
  return url.toString();
}

/** GETs the metadata document; every failure is the caller's 400 (the URL is theirs). */
export function fetchMetadata(target: string, allowLoopback: boolean): Promise<string> {
  const url = new URL(target);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(invalid(`idp_metadata_url could not be read: ${why}`));
    const request = client.request(url, {
      method: 'GET', lookup: outwardLookup(allowLoopback), agent: false,
      headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml', 'user-agent': 'idgraph-saml/1' },
    }, (response) => {
      if (response.statusCode !== 200) { response.destroy(); clearTimeout(deadline); return fail(`the server answered ${response.statusCode}`); }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_METADATA_BYTES) { response.destroy(); clearTimeout(deadline); fail(`larger than ${MAX_METADATA_BYTES} bytes`); return; }
        chunks.push(chunk);
      });
      response.on('end', () => { clearTimeout(deadline); resolve(Buffer.concat(chunks).toString('utf8')); });
      response.on('error', () => { clearTimeout(deadline); fail('the connection failed'); });
    });
    const deadline = setTimeout(() => { request.destroy(); fail(`no answer within ${METADATA_TIMEOUT_MS} ms`); }, METADATA_TIMEOUT_MS);
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      fail(error.code === 'EPRIVATE' ? 'the host resolves to a private address' : `${error.code ?? 'connection error'}`);
    });
    request.end();
  });
}

export interface ParsedIdpMetadata {
  entityId: string;
  ssoRedirectUrl: string;
}

/** What the sign-in needs from a metadata document, or a 400 naming what is missing. */
export function parseIdpMetadata(xml: string): ParsedIdpMetadata {
  samlLibrary();
  if (!/<(\w+:)?EntityDescriptor[\s>]/.test(xml)) throw invalid('idp_metadata_url does not serve SAML metadata (no EntityDescriptor)');
  let idp;
  try { idp = IdentityProvider({ metadata: xml }); } catch { throw invalid('idp_metadata_url does not serve readable SAML metadata'); }
  const meta = idp.entityMeta;
  const entityId = meta.getEntityID();
  if (typeof entityId !== 'string' || !entityId) throw invalid('The IdP metadata has no entityID');
  if (!/IDPSSODescriptor/.test(xml)) throw invalid('The metadata has no IDPSSODescriptor: it does not describe an identity provider');
  const sso = meta.getSingleSignOnService('redirect');
  if (typeof sso !== 'string' || !/^https?:\/\//.test(sso)) {
    throw invalid('The IdP metadata has no SingleSignOnService with the HTTP-Redirect binding');
  }
  const certs = [meta.getX509Certificate('signing')].flat(3).filter((c) => typeof c === 'string' && c.trim());
  // Without a certificate of its own, a signature would be checked against the one it carries.
  if (!certs.length) throw invalid('The IdP metadata has no signing certificate (KeyDescriptor use="signing")');
  if (meta.isWantAuthnRequestsSigned()) throw invalid('The IdP requires signed AuthnRequests, which this service provider does not send');
  return { entityId: entityId.slice(0, 1024), ssoRedirectUrl: sso };
}
