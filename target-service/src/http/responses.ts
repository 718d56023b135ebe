/** Small helpers for JSON answers; every answer of the service goes through `sendJson`. */
import type { ServerResponse } from 'node:http';

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const payload = JSON.stringify(body);
  const length = Buffer.byteLength(payload);
  res.writeHead(status, headers ? { 'content-type': JSON_TYPE, 'content-length': length, ...headers } : { 'content-type': JSON_TYPE, 'content-length': length });
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
