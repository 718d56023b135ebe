/** Minimal HTTP client helpers for talking to the target-service in tests. */

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
