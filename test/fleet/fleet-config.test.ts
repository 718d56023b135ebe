import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFleetConfig, FleetConfigError, resolveFleetConfig, type FleetConfigContext } from '../../src/fleet/fleet-config.js';
import { readFleetConfig } from '../../src/fleet/read-fleet-section.js';
import { UsageError } from '../../contract/loadctl-error.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const dir = makeTempDir('loadctl-fleet-config-');
const key = join(dir, 'id_test');
writeFileSync(key, 'not read by validation');
const context: FleetConfigContext = { baseDir: dir, env: {}, homeDir: '/home/tester' };
const host = (extra: Record<string, unknown> = {}) => ({ host: 'gen-1', identityFile: key, ...extra });

describe('resolveFleetConfig', () => {
  it('fills every default', () => {
    const resolved = resolveFleetConfig({ hosts: [host()] }, context);
    assert.equal(resolved.knownHosts, '/home/tester/.ssh/known_hosts');
    const [only] = resolved.hosts;
    assert.deepEqual({ ...only, user: 'x' }, { host: 'gen-1', port: 22, user: 'x', identityFile: key, agentSocket: null, node: 'node', k6: null, workDir: '.loadctl', instances: 1, keyPath: 'fleet.hosts[0]' });
  });

  it('resolves ~ and relative local paths against home and the config directory', () => {
    const resolved = resolveFleetConfig({ knownHosts: 'keys/known', hosts: [host({ identityFile: 'id_test' })] }, context);
    assert.equal(resolved.knownHosts, join(dir, 'keys/known'));
    assert.equal(resolved.hosts[0]!.identityFile, key);
    assert.equal(resolveFleetConfig({ knownHosts: '~/kh', hosts: [host()] }, context).knownHosts, '/home/tester/kh');
  });

  it('uses the SSH agent when no identityFile is given and SSH_AUTH_SOCK is set', () => {
    const resolved = resolveFleetConfig({ hosts: [{ host: 'gen-1' }] }, { ...context, env: { SSH_AUTH_SOCK: '/run/agent.sock' } });
    assert.equal(resolved.hosts[0]!.identityFile, null);
    assert.equal(resolved.hosts[0]!.agentSocket, '/run/agent.sock');
  });

  // Each problem: its key path, a fragment of the message and a fragment of the fix.
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['not a mapping', 'gen-1', 'fleet', /hosts/],
    ['no hosts', { hosts: [] }, 'fleet.hosts', /at least one/],
    ['host missing', { hosts: [{ identityFile: key }] }, 'fleet.hosts[0].host', /host name or IP/],
    ['port out of range', { hosts: [host(), host({ host: 'gen-2' }), host({ host: 'gen-3', port: 70000 })] }, 'fleet.hosts[2].port', /TCP port/],
    ['port as text', { hosts: [host({ port: '22' })] }, 'fleet.hosts[0].port', /TCP port/],
    ['instances zero', { hosts: [host({ instances: 0 })] }, 'fleet.hosts[0].instances', /integer ≥ 1/],
    ['host with shell characters', { hosts: [host({ host: 'gen-1;rm -rf /' })] }, 'fleet.hosts[0].host', /host name or IP/],
    ['host that looks like an option', { hosts: [host({ host: '-oProxyCommand=x' })] }, 'fleet.hosts[0].host', /host name or IP/],
    ['user with a space', { hosts: [host({ user: 'a b' })] }, 'fleet.hosts[0].user', /login name/],
    ['identityFile missing on disk', { hosts: [host({ identityFile: 'nope' })] }, 'fleet.hosts[0].identityFile', /existing private key/],
    ['no key and no agent', { hosts: [{ host: 'gen-1' }] }, 'fleet.hosts[0].identityFile', /ssh-agent/],
    ['typo in a key', { hosts: [host({ identityfile: key })] }, 'fleet.hosts[0].identityfile', /did you mean `identityFile`/],
    ['unknown fleet key', { hosts: [host()], knownhosts: 'x' }, 'fleet.knownhosts', /did you mean `knownHosts`/],
    ['same host twice', { hosts: [host(), host({ host: 'GEN-1' })] }, 'fleet.hosts[1].host', /raise fleet.hosts\[0\].instances/],
    ['node path with a newline', { hosts: [host({ node: 'a\nb' })] }, 'fleet.hosts[0].node', /Node ≥ 20/],
  ];
  for (const [name, raw, path, fix] of cases) {
    it(`refuses: ${name}`, () => {
      const problems = checkFleetConfig(raw, context);
      const problem = problems.find((p) => p.path === path);
      assert.ok(problem, `expected a problem at ${path}, got ${JSON.stringify(problems.map((p) => p.path))}`);
      assert.match(problem.fix, fix);
      assert.throws(() => resolveFleetConfig(raw, context), (error: unknown) => error instanceof FleetConfigError && error instanceof UsageError && error.message.includes(path));
    });
  }

  it('reports every problem at once, with the bad value', () => {
    const problems = checkFleetConfig({ hosts: [host({ port: 0 }), host({ host: 'gen-2', instances: -1 })] }, context);
    assert.deepEqual(problems.map((p) => [p.path, p.value]), [['fleet.hosts[0].port', 0], ['fleet.hosts[1].instances', -1]]);
    assert.match(new FleetConfigError(problems).message, /fleet\.hosts\[0\]\.port: must be an integer from 1 to 65535 \(got 0\)/);
  });
});

describe('readFleetConfig', () => {
  it('reads the fleet section of a YAML file; relative paths are relative to the file', () => {
    const file = join(dir, 'loadctl.config.yaml');
    writeFileSync(file, 'fleet:\n  knownHosts: kh\n  hosts:\n    - host: 127.0.0.2\n      port: 2222\n      identityFile: id_test\n      instances: 2\n');
    const config = readFleetConfig(file, {});
    assert.equal(config.knownHosts, join(dir, 'kh'));
    assert.deepEqual(config.hosts.map((h) => [h.host, h.port, h.instances, h.identityFile]), [['127.0.0.2', 2222, 2, key]]);
  });

  it('says which file has no fleet section, or is missing', () => {
    const file = join(dir, 'empty.yaml');
    writeFileSync(file, 'target: http://x\n');
    assert.throws(() => readFleetConfig(file, {}), /has no `fleet` section/);
    assert.throws(() => readFleetConfig(join(dir, 'missing.yaml'), {}), /cannot read the config file/);
  });
});
