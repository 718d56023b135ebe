/** Small helpers for JSON answers; every answer of the service goes through `sendJson`. */
import type { ServerResponse } from 'node:http';

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const payload = JSON.stringify(body);
  const length = Buffer.byteLength(payload);
  res.writeHead(status, headers ? { 'content-type': JSON_TYPE, 'content-length': length, ...headers } : { 'content-type': JSON_TYPE, 'content-length': length });
  res.end(payload);
}

/**
 * 202 answers by event count, built once: the hot path neither serialises nor measures a body. The body
 * stays a string: Node sends a string body in one write together with the headers, a Buffer in a
 * second chunk (writev).
 */
const acceptedAnswers: Array<{ body: string; headers: Record<string, string | number> } | undefined> = [];

/** Answers 202 `{"accepted":n}`. */
export function sendAccepted(res: ServerResponse, events: number): void {
  let answer = acceptedAnswers[events];
  if (!answer) {
    const body = JSON.stringify({ accepted: events });
    answer = acceptedAnswers[events] = { body, headers: { 'content-type': JSON_TYPE, 'content-length': body.length } };
  }
  res.writeHead(202, answer.headers);
  res.end(answer.body);
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
