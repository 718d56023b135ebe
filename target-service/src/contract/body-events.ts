/** Where the events sit in an accepted body, and how to get them back out. No dependencies: the SQLite worker imports it. */
import type { IngestEvent } from '../../../contract/event-schema.js';

/** The whole body is one event, its `batch` key holds them, or it is a bare array. */
export type BodyShape = 'single' | 'batch' | 'array';

/**
 * The events of a body that passed validation, parsed with JSON.parse — the same reading the
 * validator had (with duplicate keys, the last wins; SQLite's JSON functions would take the first).
 */
export function eventsInBody(json: string, shape: BodyShape): IngestEvent[] {
  const parsed = JSON.parse(json) as IngestEvent | IngestEvent[] | { batch: IngestEvent[] };
  if (shape === 'single') return [parsed as IngestEvent];
  return shape === 'array' ? (parsed as IngestEvent[]) : (parsed as { batch: IngestEvent[] }).batch;
}
