// Who is at the other end of a request, as far as the server can tell: client IP (from
// X-Forwarded-For only behind trusted proxies, TRUST_PROXY), country (from a configured proxy
// header, else null) and the raw user agent. Used for login throttling, sessions and key use.
import net from 'node:net';
import type { Context } from 'koa';
import type { Config } from '../config.ts';
import type { ClientInfo } from '../domain/principal.ts';

const MAX_USER_AGENT = 512;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Strips the IPv4-mapped IPv6 prefix so one client has one address. */
export function normalizeIp(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const ip = raw.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return net.isIP(ip) ? ip : null;
}

export function clientInfoReader(config: Pick<Config, 'trustProxyHops' | 'countryHeader'>) {
  return (ctx: Pick<Context, 'headers' | 'req'>): ClientInfo => {
    let ip = normalizeIp(ctx.req.socket.remoteAddress);
    if (config.trustProxyHops > 0) {
      const chain = (single(ctx.headers['x-forwarded-for']) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const fromProxy = normalizeIp(chain[chain.length - config.trustProxyHops]);
      if (fromProxy) ip = fromProxy;
    }
    const countryRaw = config.countryHeader ? single(ctx.headers[config.countryHeader]) : undefined;
    const country = countryRaw && /^[A-Za-z]{2}$/.test(countryRaw.trim()) ? countryRaw.trim().toUpperCase() : null;
    const userAgent = single(ctx.headers['user-agent'])?.slice(0, MAX_USER_AGENT) || null;
    return { ip, country, userAgent };
  };
}

export type ClientInfoReader = ReturnType<typeof clientInfoReader>;
