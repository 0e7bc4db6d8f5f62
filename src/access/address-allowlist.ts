import { BlockList, isIP } from 'node:net';

/** Parses "10.0.0.0/8,127.0.0.1/32,::1/128" (a bare address is one host); throws naming the bad entry. */
export function parseAllowlist(text: string): BlockList {
  const list = new BlockList();
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address, prefixText] = raw.split('/');
    const family = isIP(address ?? '');
    if (family === 0) throw new Error(`not an IP address or CIDR range: "${raw}"`);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`bad prefix length in "${raw}"`);
    list.addSubnet(address!, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

export const DEFAULT_ADMIN_ALLOWLIST = '127.0.0.1/32,::1/128';

/** Whether a client address (as Node reports it, IPv4 possibly mapped into IPv6) is on the list. */
export function allowed(list: BlockList, ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
