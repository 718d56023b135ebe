/** Runs the real `loadctl` CLI as a child process for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { cliPath, repoRoot } from './repo.js';

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the exit code and everything printed. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export function startCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [cliPath(), ...args], { cwd: repoRoot(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return startCli(args, env).done;
}
