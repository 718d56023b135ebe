/** The clock every engine and agent reads: epoch ms with sub-ms precision, comparable across worker threads. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
