// Name resolution for calls idgraph makes to addresses its callers name (webhooks, SAML IdP
// metadata): a public name that resolves to a private, loopback or link-local address is refused,
// except 127.0.0.1 where loopback targets are allowed (development and tests).
import dns from 'node:dns';
import net from 'node:net';

/** `7f00:1` (the last 32 bits of an IPv6 address in hex) as `127.0.0.1`; '0.0.0.0' when not that shape. */
function embeddedIPv4(tail: string): string {
  const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(tail);
  if (!m) return tail.includes('.') ? tail : '0.0.0.0';
  const [hi, lo] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function isInwardAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254)
      || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || a >= 224;
  }
  const v6 = address.toLowerCase();
  if (v6.startsWith('::ffff:')) return isInwardAddress(v6.slice(7).includes('.') ? v6.slice(7) : embeddedIPv4(v6.slice(7)));
  // IPv4-compatible (::a.b.c.d, written ::7f00:1 by the URL parser) and NAT64 (64:ff9b::/96) reach IPv4 too.
  if (/^::[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(v6)) return isInwardAddress(embeddedIPv4(v6.slice(2)));
  if (v6.startsWith('64:ff9b::')) return isInwardAddress(v6.slice(9).includes('.') ? v6.slice(9) : embeddedIPv4(v6.slice(9)));
  return v6 === '::' || v6 === '::1' || v6.startsWith('fe8') || v6.startsWith('fe9') || v6.startsWith('fea')
    || v6.startsWith('feb') || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('ff');
}

/**
 * A `lookup` for http(s).request that connects only outward; a name with no outward address fails
 * with the code EPRIVATE.
 */
export function outwardLookup(allowLoopback: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const allowed = (addresses as dns.LookupAddress[]).filter((a) => !isInwardAddress(a.address) || (allowLoopback && a.address === '127.0.0.1'));
      if (!allowed.length) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '', 0);
      if ((options as { all?: boolean }).all) return (callback as any)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
