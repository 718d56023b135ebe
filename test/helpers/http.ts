/** Minimal HTTP client helpers for talking to the target-service in tests. */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { TLSSocket, ConnectionOptions } from 'node:tls';

export interface PostResult {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
}

export async function postEvents(baseUrl: string, body: string | object, headers: Record<string, string> = {}): Promise<PostResult> {
  const response = await fetch(`${baseUrl}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? safeParse(text) : undefined };
}

export async function getJson(url: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(url);
  return { status: response.status, body: safeParse(await response.text()) };
}

/** Value of an unlabelled (or exactly labelled) sample in Prometheus text, summed over matching lines. */
export function metricValue(text: string, name: string, labels = ''): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [key, value] = line.split(' ');
    if (key === name + labels || (labels === '' && key?.startsWith(`${name}{`))) total += Number(value);
  }
  return total;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A test client's TLS side, as file paths: the CA it trusts (none: Node's public roots) and its certificate (mTLS). */
export interface ClientTls {
  ca?: string;
  cert?: string;
  key?: string;
  /** The name to verify the server certificate against, when it is not the URL's host. */
  servername?: string;
}

export interface TlsResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
  /** The protocol ALPN settled on (the client offers h2 and http/1.1). */
  alpnProtocol: string | false;
}

/**
 * One request over HTTPS on a fresh connection, via node:https: fetch cannot take a CA or a client
 * certificate per call. Rejects with the TLS error (e.g. code UNABLE_TO_VERIFY_LEAF_SIGNATURE) when the handshake fails.
 */
export function requestOverTls(url: string, tls: ClientTls, method = 'GET', body?: string): Promise<TlsResponse> {
  const options: ConnectionOptions & { method: string; agent: false; headers: Record<string, string> } = {
    method,
    agent: false,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ALPNProtocols: ['h2', 'http/1.1'],
    ...(tls.ca ? { ca: readFileSync(tls.ca) } : {}),
    ...(tls.cert ? { cert: readFileSync(tls.cert) } : {}),
    ...(tls.key ? { key: readFileSync(tls.key) } : {}),
    ...(tls.servername ? { servername: tls.servername } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const alpnProtocol = (res.socket as TLSSocket).alpnProtocol ?? false;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, body: text ? safeParse(text) : undefined, alpnProtocol });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs events over HTTPS to `eventsUrl` (the full URL: origin, base path, /v1/events). */
export function postEventsOverTls(eventsUrl: string, body: string, tls: ClientTls): Promise<TlsResponse> {
  return requestOverTls(eventsUrl, tls, 'POST', body);
}
