/**
 * The `target` row of `doctor` and `fleet check` (issue 19): can this machine (or that host) reach the
 * target and verify its certificate, as a run would? Pure: the probe's outcome in, a row out.
 */
import { describeProbeFailure } from '../controller/preflight-target.js';
import type { TargetProbeOutcome } from '../net/probe-target.js';
import type { CheckResult } from './judge-system.js';

export interface TargetCheckContext {
  url: string;
  insecure: boolean;
  /** The URL was chosen (flag, API_URL, config); the default one is only a warning when down. */
  explicit: boolean;
  /** Probed from a fleet host, where a loopback URL means that host itself. */
  remote?: boolean;
}

export function judgeTarget(outcome: TargetProbeOutcome, context: TargetCheckContext): CheckResult {
  const https = /^https:/i.test(context.url);
  if (outcome.ok) {
    const tls = https ? (context.insecure ? ', certificate NOT verified (--insecure)' : ', certificate verified') : '';
    return { name: 'target', status: https && context.insecure ? 'warn' : 'ok', value: `${context.url} reachable${tls}`, ...(https && context.insecure ? { fix: 'pass --ca FILE instead of --insecure to measure with verification on' } : {}) };
  }
  const problem = describeProbeFailure(outcome.code, context.url);
  const loopback = context.remote === true && /^https?:\/\/(localhost|127\.|\[::1\])/i.test(context.url);
  const where = loopback ? " (a loopback URL is each host's own machine: give the address the hosts reach the target at)" : '';
  return {
    name: 'target',
    status: context.explicit || problem.tls ? 'fail' : 'warn',
    value: `${context.url} ${problem.tls ? 'fails the TLS check' : 'is unreachable'}: ${problem.cause}`,
    fix: `${problem.fix}${where}`,
  };
}
