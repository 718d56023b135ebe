/**
 * Compiles a ScenarioPlan into ONE self-contained k6 script: esbuild bundles `k6-entry.ts` with the plan
 * and loadctl's event generator inlined; only k6's own modules stay imports. Nothing here runs k6
 * (DESIGN.md: loadctl never downloads, builds or runs it); users run the output with their own k6.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { planDigest } from '../../scenario/plan-digest.js';
import type { ScenarioPlan } from '../../scenario/plan.js';
import { K6_TLS_ENV } from './k6-tls.js';

export interface CompiledK6Script {
  /** The script (ES module, k6 ≥ 0.52 runs it as is). */
  code: string;
  /** sha256 of the plan's JSON, also embedded in the script and its InstanceResult. */
  planDigest: string;
}

/** k6's built-in modules the entry imports; everything else is inlined. */
const K6_MODULES = ['k6', 'k6/*'];

export async function compileK6Script(plan: ScenarioPlan): Promise<CompiledK6Script> {
  const digest = planDigest(plan);
  const result = await build({
    entryPoints: [k6EntryPath()],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    // goja (k6's JS runtime) handles ES2020 reliably; esbuild lowers anything newer.
    target: 'es2020',
    external: K6_MODULES,
    define: { LOADCTL_PLAN: JSON.stringify(plan), LOADCTL_PLAN_DIGEST: JSON.stringify(digest) },
    legalComments: 'none',
    logLevel: 'silent',
    banner: { js: banner(plan, digest) },
  });
  return { code: result.outputFiles[0]!.text, planDigest: digest };
}

function banner(plan: ScenarioPlan, digest: string): string {
  return [
    `// k6 script compiled by loadctl from ${plan.source} (scenario '${plan.name}', plan digest ${digest.slice(0, 12)}).`,
    `// Run: k6 run [-e RPS=1000] [-e DURATION=30s] [-e API_URL=http://host:3000] [-e LOADCTL_RESULT=result.json] this-file.js`,
    ...(/^https:/i.test(plan.targetUrl) ? tlsBanner(plan) : []),
    `// Generated: edit the scenario and recompile rather than this file.`,
  ].join('\n');
}

/** How an https script is given its CA and client certificate (docs/k6-engine.md, "TLS"): never inside it. */
function tlsBanner(plan: ScenarioPlan): string[] {
  return [
    plan.tls?.insecure
      ? `// TLS: compiled with --insecure: insecureSkipTLSVerify is on, k6 verifies NO certificate.`
      : `// TLS: certificates verified. A private CA: SSL_CERT_FILE=roots-plus-ca.pem k6 run … (Linux: Go reads it instead of the system's bundle).`,
    `// mTLS: k6 run -e ${K6_TLS_ENV.certFile}=/abs/client.pem -e ${K6_TLS_ENV.keyFile}=/abs/client-key.pem …`,
  ];
}

/** `k6-entry.ts` is bundled from source (it is not part of the Node build): next to this file under tsx, else in the package's src/. */
export function k6EntryPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const sibling = join(here, 'k6-entry.ts');
  if (existsSync(sibling)) return sibling;
  let dir = here;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`k6-entry.ts not found above ${here}`);
    dir = parent;
  }
  return join(dir, 'src', 'engines', 'k6', 'k6-entry.ts');
}
