/**
 * Clock offset between the controller and an agent, estimated over the protocol channel itself
 * (NTP's idea in miniature): of several round trips, the one with the smallest round-trip time
 * bounds the error best, and the agent's clock is read at about its midpoint.
 */
import type { AgentConnection } from './agent-connection.js';

export interface ClockEstimate {
  /** agent clock − controller clock, ms. */
  offsetMs: number;
  /** The round trip the estimate came from; the offset's error is at most half of it. */
  rttMs: number;
}

export async function measureClockOffset(connection: AgentConnection, probes = 5, timeoutMs = 5000): Promise<ClockEstimate> {
  let best: ClockEstimate | undefined;
  for (let id = 0; id < probes; id++) {
    const sentAt = Date.now();
    const reply = connection.next('clock', timeoutMs, 'answer to a clock probe');
    connection.send({ type: 'clock', id, controllerTime: sentAt });
    const { agentTime } = await reply;
    const receivedAt = Date.now();
    const estimate = { offsetMs: agentTime - (sentAt + receivedAt) / 2, rttMs: receivedAt - sentAt };
    if (!best || estimate.rttMs < best.rttMs) best = estimate;
  }
  return best!;
}
