/**
 * What every report says about how the fleet reached the target (issue 19): the data sent and received
 * (k6's data_sent / data_received), the connections per address, connect and TLS handshake times and —
 * loudly — that certificates were not verified. One wording for the console, Markdown and HTML.
 */
import type { RunReport } from './run-report-types.js';

/** `1.2 MB`, `840 kB`: decimal units, as bandwidth is sold. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toPrecision(3)} ${units[unit]}`;
}

/** Null when the run verified certificates (or was not https). */
export function insecureWarning(report: Pick<RunReport, 'connections'>): string | null {
  return report.connections?.tls?.insecure ? "TLS VERIFICATION WAS OFF (--insecure): the target's certificate was not checked" : null;
}

/** `data: sent 12.4 MB (4.13 MB/s), received …` and `connections: …`; none for reports without the figures. */
export function connectionLines(report: Pick<RunReport, 'overall' | 'subScenarios' | 'load' | 'connections'>): string[] {
  const lines: string[] = [];
  const { bytesSent, bytesReceived } = report.overall;
  if (bytesSent !== undefined && bytesReceived !== undefined) {
    const seconds = (report.load.ranMs ?? 0) / 1000;
    const per = (bytes: number) => (seconds > 0 ? ` (${formatBytes(bytes / seconds)}/s)` : '');
    lines.push(`data: sent ${formatBytes(bytesSent)}${per(bytesSent)}, received ${formatBytes(bytesReceived)}${per(bytesReceived)} (HTTP bytes)`);
    const sizes = Object.entries(report.subScenarios).flatMap(([name, figures]) => {
      // Requests that went out: those that ended in an answer or a timeout (refused, tls and network ones were never written).
      const written = figures.requests - figures.outcomes.refused - figures.outcomes.tls - figures.outcomes.network;
      return figures.bytesSent !== undefined && written > 0 ? [`${name} ${formatBytes(Math.round(figures.bytesSent / written))}`] : [];
    });
    if (sizes.length > 0) lines.push(`request size (mean): ${sizes.join(' · ')}`);
  }
  const connections = report.connections;
  if (connections) {
    const addresses = Object.entries(connections.addresses)
      .map(([address, count]) => `${address} ×${count.toLocaleString('en-US')}`)
      .join(', ');
    const connect = connections.opened > 0 ? ` · connect p95 ${ms(connections.connectMs.p95Ms)}` : '';
    const tls = connections.tls;
    const handshake = tls && tls.handshakes > 0 ? ` · TLS handshake p95 ${ms(tls.handshakeMs.p95Ms)} (${tls.resumed.toLocaleString('en-US')} of ${tls.handshakes.toLocaleString('en-US')} resumed)` : '';
    const verified = tls ? (tls.insecure ? ' · certificates NOT verified' : ' · certificates verified') : '';
    lines.push(`connections: ${connections.opened.toLocaleString('en-US')} opened to ${addresses || '—'}${connect}${handshake}${verified}`);
    const failures = Object.entries(tls?.failures ?? {});
    if (failures.length > 0) lines.push(`TLS failures: ${failures.map(([code, failure]) => `${code} ×${failure.count.toLocaleString('en-US')} (${failure.message})`).join('; ')}`);
  }
  return lines;
}

function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${Number(value.toPrecision(2))} ms`;
}
