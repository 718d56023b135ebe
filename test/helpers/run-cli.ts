/** Runs the real `loadctl` CLI as a child process for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { agentsOf, isAlive, waitUntil } from './processes.js';
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

/**
 * Sends `signal` to a running `loadctl run|phase` once its `instances` agents have run for 2.5 s; resolves
 * with its exit and the agents still alive 5 s later (an interrupt must leave none).
 */
export async function interruptWhileRunning(run: CliRun, instances: number, signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string; agentsLeft: number[] }> {
  if (!(await waitUntil(() => agentsOf(run.child.pid!).length === instances, 10_000))) {
    run.child.kill('SIGKILL');
    throw new Error(`${instances} agents did not start within 10 s:\n${(await run.done).stderr}`);
  }
  const agents = agentsOf(run.child.pid!);
  await new Promise((resolve) => setTimeout(resolve, 2500));
  run.child.kill(signal);
  const result = await run.done;
  await waitUntil(() => agents.every((pid) => !isAlive(pid)), 5000);
  return { ...result, agentsLeft: agents.filter(isAlive) };
}
