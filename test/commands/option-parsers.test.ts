/** The flag parsers every command shares: what each accepts, and the usage error for what it does not. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { InvalidArgumentError } from 'commander';
import { parseDurationFlag } from '../../src/commands/option-parsers.js';
import { cliPath, repoRoot } from '../helpers/repo.js';

describe('parseDurationFlag', () => {
  // The grammar itself is tabled in test/config/duration-setting.test.ts; the flag only wraps it.
  const accepted: Array<[string, number]> = [
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['30', 30_000], // a bare number is seconds
  ];
  for (const [value, ms] of accepted) {
    it(`"${value}" is ${ms} ms`, () => assert.equal(parseDurationFlag(value), ms));
  }

  for (const value of ['1 minute', '', '30x', '1d', '-5s', '0s', '0', 's', '2m-', '1e3']) {
    it(`"${value}" is refused, naming the accepted forms and the value`, () => {
      assert.throws(
        () => parseDurationFlag(value),
        (error: unknown) =>
          error instanceof InvalidArgumentError &&
          /expected a duration such as 30s or 2m \(a number with a unit ms, s, m or h, units combined as in 1h30m, or a bare number of seconds\)/.test(error.message) &&
          error.message.endsWith(`got "${value}"`),
      );
    });
  }
});

describe('duration flags through the real CLI', () => {
  const commands: Array<[string, string[]]> = [
    ['run --duration', ['run', 'scenarios/simple.ts', '--dry-run', '--duration', '1 minute']],
    ['phase --step-duration', ['phase', 'breakpoint', '--step-duration', '1 minute']],
    ['compile --duration', ['compile', 'scenarios/simple.ts', '--check', '--duration', '1 minute']],
    ['engine run --duration', ['engine', 'run', 'scenarios/simple.ts', '--duration', '1 minute']],
  ];
  for (const [name, args] of commands) {
    it(`${name} 1 minute: exit 2, the flag and the accepted forms named, nothing started`, () => {
      const result = spawnSync(process.execPath, [cliPath(), ...args], { cwd: repoRoot(), encoding: 'utf8', timeout: 30_000 });
      assert.equal(result.status, 2, `${result.stdout}${result.stderr}`);
      const flag = args.find((arg) => arg.endsWith('duration'))!;
      assert.match(result.stderr, new RegExp(`option '${flag} <duration>' argument '1 minute' is invalid\\. expected a duration such as 30s or 2m .*1h30m.*bare number of seconds`));
      assert.equal(result.stdout, '');
    });
  }

  it('run --duration 3 (a bare number) is 3 s, as for compile and phase', () => {
    const result = spawnSync(process.execPath, [cliPath(), 'run', 'scenarios/simple.ts', '--dry-run', '--rate', '100', '--instances', '1', '--duration', '3', '--no-color'], { cwd: repoRoot(), encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /single\s+│ 100\/s\s+│ 300\s+│/, 'the split plans 100/s × 3 s = 300 iterations');
  });
});
