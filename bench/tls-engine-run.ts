/**
 * `loadctl engine run` with TLS material, for bench/tls-throughput.ts: the same steps as
 * src/engines/native/run-engine.ts (plan the scenario, one instance, start 200 ms after prepare), plus what
 * `loadctl run` does for an https target — the TLS policy on the plan (withTlsPolicy) and the CA read and
 * checked by readTlsMaterial, handed to the engine as `NativeInstanceOptions.tls`. `engine run` itself has no
 * `--ca`/`--insecure` (only `run` and `phase` do), so a CLI run against a test CA would need SSL_CERT_FILE.
 *
 * Usage: node dist/bench/tls-engine-run.js <scenario> <rate> <duration> <target> <out.json> [ca.pem]
 * Prints the run's first-send-to-result progress lines on stderr like `engine run` ("[s/n s] … total N").
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load-config.js';
import { NativeInstance } from '../src/engines/native/native-instance.js';
import { now } from '../src/engines/engine-clock.js';
import { newRunId } from '../src/controller/run-test.js';
import { readTlsMaterial } from '../src/controller/target-tls.js';
import { loadScenario } from '../src/scenario/load-scenario.js';
import { planOfConfig } from '../src/scenario/plan-of-config.js';
import { splitPlan } from '../src/split/split-plan.js';

const [scenario, rate, duration, target, out, ca] = process.argv.slice(2);
if (!scenario || !rate || !duration || !target || !out) throw new Error('usage: tls-engine-run.js <scenario> <rate> <duration> <target> <out.json> [ca.pem]');

const config = loadConfig({ flags: { rate, duration, target, instances: 1, ...(ca ? { ca } : {}) } });
const plan = planOfConfig(await loadScenario(scenario), config);
const tls = await readTlsMaterial(config.target.tls);
const [instancePlan] = splitPlan(plan, 1, newRunId());
const instance = await NativeInstance.prepare(instancePlan!, { workers: 1, ...(tls ? { tls } : {}) });
let total = 0;
instance.onProgress((sample) => {
  total += sample.requests;
  process.stderr.write(`[${sample.second + 1}/${Math.ceil(plan.durationMs / 1000)}s] ${sample.requests} req/s  cpu ${Math.round(sample.cpuPercent)} %  total ${total}\n`);
});
// The bench stops a run once its window is measured (a starved engine would otherwise run long past its duration).
process.once('SIGINT', () => instance.stop());
instance.start(now() + 200);
const result = await instance.result();
writeFileSync(out, `${JSON.stringify(result)}\n`);
process.exit(0);
