// Where idgraph may connect for an upstream provider (discovery, token, JWKS, userinfo, revocation):
// never to this host or a private network, whatever form the address takes (an IP literal, the
// decimal or IPv4-mapped IPv6 spelling the URL parser turns into one, a name that resolves to
// one), unless SSO_ALLOW_HTTP_LOOPBACK allows the loopback for development and tests. The names are
// resolved just before each request; a resolver that changes its answer between that check and
// the connection (DNS rebinding) is not covered, as fetch takes no lookup hook.
import dns from 'node:dns';
import net from 'node:net';
import { isInwardAddress } from '../webhook/transport.ts';

export class InwardUpstreamAddress extends Error {}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1']);

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** A loopback or private address, or a loopback name, that `allowLoopback` does not allow. */
export function isForbiddenUpstreamHost(hostname: string, allowLoopback: boolean): boolean {
  const host = bare(hostname).replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return !allowLoopback;
  if (!net.isIP(host)) return false;
  return isInwardAddress(host) && !(allowLoopback && LOOPBACK_ADDRESSES.has(host));
}

/** Throws InwardUpstreamAddress when the URL's host is, or resolves to, an address refused above. */
export async function assertPublicUpstream(url: URL, allowLoopback: boolean): Promise<void> {
  if (isForbiddenUpstreamHost(url.hostname, allowLoopback)) throw new InwardUpstreamAddress(`${url.hostname} is a private address`);
  const host = bare(url.hostname);
  if (net.isIP(host)) return;
  let addresses: dns.LookupAddress[];
  try { addresses = await dns.promises.lookup(host, { all: true }); } catch { return; /* the request fails on its own */ }
  if (addresses.some((a) => isForbiddenUpstreamHost(a.address, allowLoopback))) {
    throw new InwardUpstreamAddress(`${url.hostname} resolves to a private address`);
  }
}

/** `fetch` that refuses private destinations first (openid-client's customFetch). */
export function guardedFetch(allowLoopback: boolean) {
  return async (input: string | URL, init?: RequestInit): Promise<Response> => {
    await assertPublicUpstream(new URL(String(input)), allowLoopback);
    return fetch(input, init);
  };
}
