import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { envAssignments, quoteShellArg, quoteShellCommand } from '../../../src/runners/ssh/shell-quote.js';
import { SshError } from '../../../src/runners/ssh/ssh-error.js';
import { SshSession } from '../../../src/runners/ssh/ssh-session.js';
import { wrapInstanceCommand } from '../../../src/runners/ssh/remote-instance.js';
import { resolveFleetConfig } from '../../../src/fleet/fleet-config.js';
import { startSshFleet, type TestSshFleet } from '../../helpers/sshd.js';

/** Values an attacker (or an unlucky user) could put in a scenario name, env value or path. */
const HOSTILE = [
  'plain',
  'with space',
  "it's",
  'double "quoted"',
  '$(touch /tmp/loadctl-pwned)',
  '`touch /tmp/loadctl-pwned`',
  'a; touch /tmp/loadctl-pwned',
  'line one\nline two',
  "'; touch /tmp/loadctl-pwned; echo '",
  '*',
  '~',
  '$HOME',
  '-n',
  '',
  'back\\slash',
  'tab\there',
  '|&><',
  'ünïcödé ✓',
];

/** Prints its argv as JSON: the remote side of the round trip. */
const PRINT_ARGV = ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))'];

describe('quoteShellArg', () => {
  it('leaves plain words bare and single-quotes the rest', () => {
    assert.equal(quoteShellArg('/usr/bin/node'), '/usr/bin/node');
    assert.equal(quoteShellArg('with space'), "'with space'");
    assert.equal(quoteShellArg("it's"), "'it'\\''s'");
    assert.equal(quoteShellArg(''), "''");
  });

  it('survives a real POSIX shell (dash) for every hostile value', () => {
    const command = `printf '%s\\0' ${quoteShellCommand(HOSTILE)}`;
    const output = execFileSync('sh', ['-c', command], { encoding: 'utf8' });
    assert.deepEqual(output.split('\0').slice(0, -1), HOSTILE);
  });

  it('refuses NUL, which no argv can carry', () => assert.throws(() => quoteShellArg('a\0b'), SshError));

  it('refuses environment names that are not names', () => {
    assert.deepEqual(envAssignments({ A_1: "x'y" }), ["A_1=x'y"]);
    assert.throws(() => envAssignments({ 'A;rm': 'x' }), SshError);
    assert.throws(() => envAssignments({ '1A': 'x' }), SshError);
  });
});

describe('remote commands over real sshd carry hostile values verbatim', () => {
  let fleet: TestSshFleet;
  let session: SshSession;
  before(async () => {
    fleet = await startSshFleet(1);
    const [host] = fleet.hosts;
    const config = resolveFleetConfig({ knownHosts: fleet.knownHostsFile, hosts: [{ host: host!.host, port: host!.port, user: 'root', identityFile: fleet.identityFile }] }, { baseDir: fleet.dir });
    session = await SshSession.connect(config.hosts[0]!, { knownHostsFile: config.knownHosts, acceptNew: false });
  });
  after(async () => {
    session?.end();
    await fleet?.stop();
  });

  it('as arguments (through the login shell)', async () => {
    execFileSync('rm', ['-f', '/tmp/loadctl-pwned']);
    const result = await session.exec([process.execPath, ...PRINT_ARGV, ...HOSTILE]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), HOSTILE);
    assert.throws(() => execFileSync('test', ['-e', '/tmp/loadctl-pwned']), 'nothing was executed');
  });

  it('as environment values and arguments of the instance wrapper', async () => {
    const env = Object.fromEntries(HOSTILE.map((value, index) => [`LOADCTL_T${index}`, value]));
    const script = `console.log(JSON.stringify({ argv: process.argv.slice(1), env: Object.keys(process.env).filter((k) => k.startsWith('LOADCTL_T')).sort((a, b) => a.slice(9) - b.slice(9)).map((k) => process.env[k]) }))`;
    const result = await session.exec(wrapInstanceCommand([process.execPath, '-e', script, ...HOSTILE], env));
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { argv: HOSTILE, env: HOSTILE });
    assert.match(result.stderr, /^loadctl-pgid=\d+\n/, 'the wrapper announces its process group first');
  });
});
