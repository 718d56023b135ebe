/** `loadctl compile` through the real CLI: what each flag does, and bad input exits 2 with no stack trace. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function runCli(args: string[], env: Record<string, string> = {}): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [cliPath(), 'compile', ...args], { cwd: repoRoot(), encoding: 'utf8', timeout: 60_000, env: { ...process.env, API_URL: '', ...env } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('loadctl compile', () => {
  it('--check validates and writes nothing', () => {
    const { status, output } = runCli(['scenarios/full.ts', '--check', '--rate', '1000']);
    assert.equal(status, 0, output);
    assert.equal(output.trim(), "scenarios/full.ts: OK — scenario 'full', 3 sub-scenario(s), peak 1,000 req/s, 1m");
  });

  it('--dry-run prints rate, duration, iterations, VUs with their derivation and payload sizes per sub-scenario', () => {
    const { status, output } = runCli(['scenarios/simple.ts', '--dry-run', '--target', 'http://api:3000']);
    assert.equal(status, 0, output);
    assert.match(output, /scenario 'simple' → http:\/\/api:3000, peak 10,000 req\/s over 30s/);
    assert.match(output, /single\s*│ 10000\/s\s*│ 0s\s*│ 30s\s*│ 300,000\s*│ 1000 pre-allocated, 10000 max │ ceil\(10000\/s × 50 ms × 2 headroom\), growing to 10000\/s × 500 ms × 2/);
    assert.match(output, /│ 1\s*│ \d{3}–\d{3}\s*│/);
  });

  it('writes the k6 script to -o, with --duration and the API_URL target', () => {
    const out = join(makeTempDir(), 'out.js');
    const { status, output } = runCli(['scenarios/simple.ts', '-o', out, '--duration', '10s'], { API_URL: 'http://from-env:3000' });
    assert.equal(status, 0, output);
    assert.match(output, new RegExp(`wrote ${out} \\(\\d+ KB, plan [0-9a-f]{12}\\); run it with: k6 run ${out}`));
    const script = readFileSync(out, 'utf8');
    assert.match(script, /targetUrl: "http:\/\/from-env:3000"/);
    assert.match(script, /durationMs: 1e4/);
  });

  const bad: Array<[string, () => string[], RegExp]> = [
    ['an invalid definition', () => [scenario(`export default { name: 'x', duration: '1s', subScenarios: [{ name: 'a', rate: -5 }] };`)], /loadctl: \/\S+\/bad\.ts: subScenarios\[0\]\.rate: -5 must be > 0\n {2}→ give the requests per second/],
    ['a syntax error', () => [scenario(`export default {`)], /loadctl: \/\S+\/bad\.ts could not be compiled:\n {2}\/\S+\/bad\.ts:1:17: Expected identifier but found end of file/],
    ['a missing file', () => ['scenarios/nope.ts', '--check'], /loadctl: scenario file scenarios\/nope\.ts does not exist/],
    ['a rate that starves a sub-scenario', () => ['scenarios/full.ts', '--check', '--rate', '3'], /leaves sub-scenario 'batch10' with 0 req\/s \(the mix keeps its proportions\)\n {2}→ use a rate of at least 4 req\/s/],
    ['a rate that is not a number', () => ['scenarios/full.ts', '--rate', 'fast'], /--rate.*expected requests per second > 0, got "fast"/],
    ['a bad duration', () => ['scenarios/full.ts', '--duration', '1 minute'], /--duration.*expected a duration such as 30s or 2m/],
    ['a target that is not a URL', () => ['scenarios/full.ts', '--check', '--target', 'localhost:3000'], /target URL 'localhost:3000' is not an http\(s\) URL/],
  ];
  for (const [name, args, message] of bad) {
    it(`refuses ${name}: exit 2, the message, no stack trace`, () => {
      const { status, output } = runCli(args());
      assert.equal(status, 2, output);
      assert.match(output, message);
      assert.doesNotMatch(output, /^\s+at /m);
    });
  }

  it('--check on an invalid file writes no script', () => {
    const dir = makeTempDir();
    runCli([scenario(`export default {};`, dir), '-o', join(dir, 'x.js')]);
    assert.equal(existsSync(join(dir, 'x.js')), false);
  });
});

function scenario(code: string, dir = makeTempDir()): string {
  const file = join(dir, 'bad.ts');
  writeFileSync(file, code);
  return file;
}
