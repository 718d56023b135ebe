/** The TLS failure a verdict names (issue 19): the most frequent cause among the instances', with its fix. */
import { describeTlsFailure } from '../net/tls-material.js';
import type { TlsFigures } from '../protocol/instance-result.js';

export interface TlsFailure {
  cause: string;
  fix: string;
}

/** `{ tlsFailure }` when handshakes failed, else `{}` (spread into the judged figures). */
export function tlsFailureOf(tls: Pick<TlsFigures, 'failures'> | null): { tlsFailure?: TlsFailure } {
  const top = Object.entries(tls?.failures ?? {}).sort((a, b) => b[1].count - a[1].count)[0];
  if (!top) return {};
  return { tlsFailure: describeTlsFailure(top[0], 'the target') };
}
