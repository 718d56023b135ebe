/** Bad invocations of `loadctl target start`: a clear message, the documented exit code, no stack trace, no hang. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cliPath } from '../helpers/repo.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function runCli(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [cliPath(), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const notADirectory = () => {
  const file = join(makeTempDir(), 'a-file');
  writeFileSync(file, '');
  return join(file, 'store');
};

describe('loadctl target start refuses bad input clearly', () => {
  const cases: Array<{ name: string; args: () => string[]; status: number; message: RegExp }> = [
    { name: 'a port out of range', args: () => ['target', 'start', '--port', '99999'], status: 2, message: /--port.*expected a port 0–65535, got "99999"/ },
    { name: 'zero workers', args: () => ['target', 'start', '--workers', '0'], status: 2, message: /--workers.*expected a whole number ≥ 1/ },
    { name: 'a high-water mark above capacity', args: () => ['target', 'start', '--buffer-capacity', '5', '--high-water-mark', '10'], status: 2, message: /high-water mark 10 exceeds the buffer capacity 5\n.*→ lower --high-water-mark/ },
    { name: 'a buffer smaller than one full batch', args: () => ['target', 'start', '--buffer-capacity', '100'], status: 2, message: /buffer capacity 100 is smaller than a full batch \(500 events\)\n.*→ raise --buffer-capacity/ },
    { name: 'an unknown command', args: () => ['target', 'stat'], status: 2, message: /unknown command 'stat'[\s\S]*Did you mean start/ },
    { name: 'a store directory that cannot be created', args: () => ['target', 'start', '--port', '0', '--metrics-port', '0', '--store', notADirectory()], status: 2, message: /cannot open the embedded store in .*ENOTDIR[\s\S]*→ pass --store DIR/ },
    { name: 'an unreachable MongoDB', args: () => ['target', 'start', '--port', '0', '--metrics-port', '0', '--store', 'mongodb://127.0.0.1:1/x'], status: 5, message: /cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:1\/x/ },
    { name: 'a bad store with --workers 2 (no half-started fleet)', args: () => ['target', 'start', '--port', '0', '--metrics-port', '0', '--workers', '2', '--store', notADirectory()], status: 2, message: /cannot open the embedded store in .*ENOTDIR[\s\S]*→ pass --store DIR/ },
  ];
  for (const { name, args, status, message } of cases) {
    it(name, () => {
      const result = runCli(args());
      assert.equal(result.status, status, result.output);
      assert.match(result.output, message);
      assert.doesNotMatch(result.output, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    });
  }

  it('a port already in use names the port and the flag', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = runCli(['target', 'start', '--port', String(port), '--metrics-port', '0', '--store', makeTempDir()]);
      assert.equal(result.status, 5, result.output);
      assert.match(result.output, new RegExp(`cannot listen for HTTP on 127\\.0\\.0\\.1:${port}: EADDRINUSE\\n.*pick another with --port`));
    } finally {
      blocker.close();
    }
  });
});
