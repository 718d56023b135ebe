/** The engine's clock: epoch ms with sub-ms precision, comparable across worker threads and with the agent's clock replies. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
