// Runs compiled k6 scripts with stand-ins for k6's modules (test/k6-contract), NOT with k6: k6 is never run in this project.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileK6Script } from '../../src/engines/k6/compile-k6-script.js';
import { K6_TLS_ENV } from '../../src/engines/k6/k6-tls.js';
import type { ScenarioPlan } from '../../src/scenario/plan.js';
import { planScenarioFile } from '../../src/scenario/plan-scenario-file.js';
import { repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { standinState } from './k6-standins.js';
import { loadCompiledScript } from './load-compiled-script.js';

const httpsPlan = (tls: ScenarioPlan['tls']): Promise<ScenarioPlan> =>
  planScenarioFile({ file: 'scenarios/simple.ts', cwd: repoRoot(), target: 'https://api.example.com' }).then((plan) => ({ ...plan, ...(tls ? { tls } : {}) }));

describe('compiled k6 script: TLS options (under the k6 stand-ins, NOT k6)', () => {
  it('an --insecure plan sets insecureSkipTLSVerify; a verified one does not; the banner says which', async () => {
    const insecure = await compileK6Script(await httpsPlan({ insecure: true }));
    assert.equal((await loadCompiledScript(insecure.code, {})).options.insecureSkipTLSVerify, true);
    assert.match(insecure.code, /verifies NO certificate/);
    const verified = await compileK6Script(await httpsPlan({ insecure: false }));
    assert.equal((await loadCompiledScript(verified.code, {})).options.insecureSkipTLSVerify, undefined);
    assert.match(verified.code, /SSL_CERT_FILE=/);
  });

  it('the client certificate comes from the files the environment names, read by open() at init, into tlsAuth without domains', async () => {
    const dir = makeTempDir('loadctl-k6-tlsauth-');
    const cert = '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n';
    const key = '-----BEGIN PRIVATE KEY-----\nclient-key\n-----END PRIVATE KEY-----\n';
    writeFileSync(join(dir, 'c.pem'), cert, { mode: 0o600 });
    writeFileSync(join(dir, 'k.pem'), key, { mode: 0o600 });
    const { code } = await compileK6Script(await httpsPlan({ insecure: false }));
    standinState().opened.length = 0;
    const script = await loadCompiledScript(code, { [K6_TLS_ENV.certFile]: join(dir, 'c.pem'), [K6_TLS_ENV.keyFile]: join(dir, 'k.pem') });
    assert.deepEqual(script.options.tlsAuth, [{ cert, key }]);
    assert.deepEqual(standinState().opened.map((file) => file.path), [join(dir, 'c.pem'), join(dir, 'k.pem')]);
    // The script itself carries no certificate material and no path: it may be written anywhere and shown.
    assert.doesNotMatch(code, /BEGIN [A-Z ]*(CERTIFICATE|PRIVATE KEY)-----/);
    assert.doesNotMatch(code, new RegExp(dir));
  });

  it('no files named → no tlsAuth; one without the other → the init throws naming the missing knob (k6: exit 107)', async () => {
    const { code } = await compileK6Script(await httpsPlan(undefined));
    assert.equal((await loadCompiledScript(code, {})).options.tlsAuth, undefined);
    await assert.rejects(loadCompiledScript(code, { [K6_TLS_ENV.certFile]: '/nowhere/c.pem' }), /LOADCTL_TLS_KEY_FILE is not/);
  });
});
