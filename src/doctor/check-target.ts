/** The target check of `doctor` (from this machine) and `fleet check` (from every host): the config's target or --target, with the run's TLS settings. */
import { loadConfig } from '../config/load-config.js';
import type { ConfigFlags } from '../config/config-types.js';
import { probeTarget, type TargetProbeRequest } from '../net/probe-target.js';
import { probeRequestOf } from '../controller/preflight-target.js';
import { readTlsMaterial } from '../controller/target-tls.js';
import { DEFAULT_TARGET_URL } from '../scenario/plan-scenario-file.js';
import { judgeTarget, type TargetCheckContext } from './judge-target.js';
import type { CheckResult } from './judge-system.js';

export interface TargetCheckOptions {
  configPath?: string;
  flags: ConfigFlags;
  env?: Record<string, string | undefined>;
}

/** What to probe and how to judge it; the TLS files are read (and refused when bad) here. */
export async function targetCheckOf(options: TargetCheckOptions): Promise<{ request: TargetProbeRequest; context: TargetCheckContext }> {
  const config = loadConfig({ ...(options.configPath ? { configPath: options.configPath } : {}), flags: options.flags, env: options.env ?? process.env });
  const url = config.target.url;
  const material = (await readTlsMaterial(config.target.tls)) ?? {};
  return { request: probeRequestOf(url, { insecure: config.target.tls.insecure, material }), context: { url, insecure: config.target.tls.insecure, explicit: url !== DEFAULT_TARGET_URL } };
}

export async function checkTargetFromHere(options: TargetCheckOptions): Promise<CheckResult> {
  const { request, context } = await targetCheckOf(options);
  return judgeTarget(await probeTarget(request), context);
}
