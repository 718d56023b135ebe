/**
 * Where a target URL sends requests (issue 19: the URL honoured whole): the scheme picks TLS and the
 * default port (80/443), the host name is the TLS server name and the `Host` header (as the URL writes
 * it), a base path prefixes every request path, an IPv6 literal loses its brackets for the socket.
 * The name is resolved once, at prepare, to every address it has: a load balancer behind DNS gets the
 * VUs' connections spread over all of them.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface TargetAddress {
  tls: boolean;
  /** Host name or IP literal to connect to (no brackets). */
  hostname: string;
  port: number;
  /** The `Host` header: the URL's host, with the port when it is not the scheme's default. */
  hostHeader: string;
  /** '' or a path without trailing slash ('/api'), sent before every request path. */
  basePath: string;
}

/** The parts of a target URL (already checked by normaliseTargetUrl) that the engines connect with. */
export function targetAddressOf(url: string): TargetAddress {
  const parsed = new URL(url);
  const tls = parsed.protocol === 'https:';
  return {
    tls,
    hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port !== '' ? Number(parsed.port) : tls ? 443 : 80,
    hostHeader: parsed.host,
    basePath: parsed.pathname.replace(/\/+$/, ''),
  };
}

/** Every address the host name resolves to, in the resolver's order (an IP literal is its own). */
export async function resolveTargetAddresses(hostname: string): Promise<string[]> {
  if (isIP(hostname) !== 0) return [hostname];
  const found = await lookup(hostname, { all: true, verbatim: true });
  return [...new Set(found.map((entry) => entry.address))];
}

/** The TLS server name (SNI) for a host: none for an IP literal (RFC 6066 forbids it). */
export function serverNameOf(hostname: string): string | undefined {
  return isIP(hostname) === 0 ? hostname : undefined;
}
