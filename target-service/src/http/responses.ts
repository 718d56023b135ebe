/** Small helpers for JSON answers; every answer of the service goes through `sendJson`. */
import type { ServerResponse } from 'node:http';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

export interface ErrorBody {
  reason: string;
  message: string;
  index?: number;
  field?: string;
}

export function sendError(res: ServerResponse, status: number, error: ErrorBody, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { status, ...error } }, headers);
}
