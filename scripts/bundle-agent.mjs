// Bundles the agent into ONE self-contained ESM file (issue 8, item 8): dist/loadctl-agent.mjs, the
// path the SSH runner pushes (src/runners/ssh/ssh-runner.ts AGENT_BUNDLE_FILE, src/fleet/agent-bundle.ts).
// Every dependency is inlined, so a generator host needs only Node >= 20, no node_modules.
import { build } from 'esbuild';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['src/agent/agent-bundle-entry.ts'],
  outfile: 'dist/loadctl-agent.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS deps (hdr-histogram-js) call require(): give ESM one.
  banner: { js: "import { createRequire as __loadctlCreateRequire } from 'node:module'; const require = __loadctlCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
