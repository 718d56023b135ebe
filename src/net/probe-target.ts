/**
 * One check that a generator can reach the target (issue 19): a TCP connection, and for https a TLS
 * handshake with the run's own trust and client certificate plus one HEAD request (TLS 1.3 servers
 * reject a missing client certificate only after the handshake). The run's preflight and `doctor` call
 * it here; `fleet check` ships its source to every host and runs it with the host's Node, so each
 * host is checked by the same code, from where its load will come from.
 *
 * Self-contained on purpose: no imports, Node's modules loaded inside, nothing from the module scope —
 * `probeTarget.toString()` must run on its own under `node -e`.
 */

export interface TargetProbeRequest {
  host: string;
  port: number;
  tls: boolean;
  /** SNI and the name the certificate must carry (absent for an IP literal). */
  servername?: string;
  hostHeader: string;
  basePath: string;
  insecure: boolean;
  /** PEM text. */
  ca?: string;
  cert?: string;
  key?: string;
  timeoutMs: number;
}

/** `code`: a system or OpenSSL code (ECONNREFUSED, UNABLE_TO_VERIFY_LEAF_SIGNATURE…), or TIMEOUT / CLOSED_AFTER_HANDSHAKE. */
export type TargetProbeOutcome = { ok: true } | { ok: false; code: string; message: string };

export async function probeTarget(request: TargetProbeRequest): Promise<TargetProbeOutcome> {
  const net = await import('node:net');
  const tls = await import('node:tls');
  const fs = await import('node:fs');
  const systemBundle = (): string[] => {
    for (const file of [process.env.SSL_CERT_FILE, '/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem']) {
      try {
        if (file) return [fs.readFileSync(file, 'utf8')];
      } catch {
        // not this distribution's path
      }
    }
    return [];
  };
  return new Promise<TargetProbeOutcome>((resolve) => {
    const socket = request.tls
      ? tls.connect({
          host: request.host,
          port: request.port,
          ca: [...tls.rootCertificates, ...systemBundle(), ...(request.ca ? [request.ca] : [])],
          ...(request.cert && request.key ? { cert: request.cert, key: request.key } : {}),
          rejectUnauthorized: !request.insecure,
          ALPNProtocols: ['http/1.1'],
          ...(request.servername ? { servername: request.servername } : {}),
        })
      : net.connect({ host: request.host, port: request.port });
    const finish = (outcome: TargetProbeOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(request.timeoutMs, () => finish({ ok: false, code: 'TIMEOUT', message: `no answer within ${request.timeoutMs / 1000} s` }));
    if (request.tls) {
      socket.once('secureConnect', () => socket.write(`HEAD ${request.basePath}/ HTTP/1.1\r\nHost: ${request.hostHeader}\r\nConnection: close\r\n\r\n`));
      socket.once('data', () => finish({ ok: true }));
      // Closed with no answer at all: what a server does when it drops a client certificate it does not trust.
      socket.once('end', () => finish({ ok: false, code: 'CLOSED_AFTER_HANDSHAKE', message: 'closed after the handshake without answering' }));
    } else {
      socket.once('connect', () => finish({ ok: true }));
    }
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ ok: false, code: error.code ?? 'ERROR', message: error.message }));
  });
}
