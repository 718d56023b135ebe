/** `src/cli.ts` through the real CLI: what every command shares (a closed stdout, the usage error style). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cliPath, repoRoot } from './helpers/repo.js';

/** Every command of the explicit list in src/cli.ts, plus the program itself. */
const COMMANDS = [[], ['run'], ['phase'], ['target'], ['target', 'start'], ['doctor'], ['compile'], ['fleet'], ['merge'], ['gate'], ['compare'], ['engine'], ['agent']];

/** Runs `loadctl …args` with stdout a pipe that the reader closes after the first chunk, as `| head -1` does. */
function runWithStdoutClosedAfterFirstChunk(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cliPath(), ...args], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.once('data', () => child.stdout.destroy());
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe('a closed stdout (loadctl … --help | head -3)', () => {
  for (const command of COMMANDS) {
    const args = [...command, '--help'];
    it(`loadctl ${args.join(' ')}: exits 0 with nothing on stderr`, async () => {
      const result = await runWithStdoutClosedAfterFirstChunk(args);
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
    });
  }

  it('through a real shell pipe into head -1, every command: no EPIPE and no stack on stderr', () => {
    const pipeline = COMMANDS.map((command) => `"${process.execPath}" "${cliPath()}" ${command.join(' ')} --help | head -1 >/dev/null`).join('; ');
    const result = spawnSync('sh', ['-c', pipeline], { cwd: repoRoot(), encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.stderr, '');
  });
});

describe("commander's usage errors in loadctl's style (report-error.ts)", () => {
  const table: Array<[string[], RegExp, string]> = [
    [['run', '--bogus'], /^loadctl: unknown option '--bogus'/, 'loadctl run'],
    [['gate'], /^loadctl: missing required argument 'report'/, 'loadctl gate'],
    [['bogus'], /^loadctl: unknown command 'bogus'/, 'loadctl'],
    [['fleet', 'provision', '--bogus'], /^loadctl: unknown option '--bogus'/, 'loadctl fleet provision'],
    [['phase', 'soak'], /^loadctl: command-argument value 'soak' is invalid for argument 'phase'\. Allowed choices are validate, stress, breakpoint, distributed\./, 'loadctl phase'],
  ];
  for (const [args, message, command] of table) {
    it(`loadctl ${args.join(' ')}: exit 2, "loadctl: …" then the next step, no "error:"`, () => {
      const result = spawnSync(process.execPath, [cliPath(), ...args], { cwd: repoRoot(), encoding: 'utf8', timeout: 30_000 });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.ok(result.stderr.endsWith(`\n  → run \`${command} --help\` for usage\n`), result.stderr);
      assert.doesNotMatch(result.stderr, /^error:/m);
      assert.equal(result.stdout, '');
    });
  }
});
