/** Parsing and judging `k6 version` output. Pure: tests feed it recorded output. */

export interface K6Version {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

/** The version in `k6 version` output, e.g. "k6 v1.8.1 (commit/…, go1.25.1, linux/amd64)". */
export function parseK6Version(output: string): K6Version | undefined {
  const match = /\bk6 v(\d+)\.(\d+)\.(\d+)\S*/.exec(output);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), text: match[0].slice(3) };
}

/** loadctl relies on k6 ≥ 1.0 (execution segments, REST status codes, handleSummary as documented). */
export function isSupportedK6(version: K6Version): boolean {
  return version.major >= 1;
}
