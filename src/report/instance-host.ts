/** How tables name where an instance ran: the fleet address over SSH (with the agent's hostname), else the hostname. */
import type { ReportInstance } from './run-report-types.js';

export function instanceHost(instance: Pick<ReportInstance, 'host' | 'runner'>): string {
  if (!instance.runner || instance.runner.startsWith('local#')) return instance.host;
  const address = instance.runner.replace(/#\d+$/, '');
  return address === instance.host ? address : `${address} (${instance.host})`;
}
