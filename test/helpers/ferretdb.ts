/**
 * A real MongoDB-wire server for tests: FerretDB with its SQLite backend, built by
 * scripts/provision-ferretdb.sh (npm test runs it and exports LOADCTL_FERRETDB).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makeTempDir } from './temp-dir.js';
import { freePort } from '../../src/net/free-port.js';

export interface FerretDb {
  uri: string;
  port: number;
  /** Kills the server (SIGKILL: an outage, not a polite shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
}

export function ferretDbBinary(): string {
  const binary = process.env.LOADCTL_FERRETDB ?? join(homedir(), '.cache', 'loadctl', 'ferretdb', 'v1.24.2', 'ferretdb');
  if (!existsSync(binary)) {
    throw new Error(`FerretDB not found at ${binary}: run scripts/provision-ferretdb.sh (npm test does) or set LOADCTL_FERRETDB`);
  }
  return binary;
}

export async function startFerretDb(): Promise<FerretDb> {
  const binary = ferretDbBinary();
  const dataDir = makeTempDir('loadctl-ferretdb-');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      binary,
      ['--handler=sqlite', `--sqlite-url=file:${dataDir}/`, `--state-dir=${dataDir}`, `--listen-addr=127.0.0.1:${port}`, '--telemetry=disable', '--debug-addr=127.0.0.1:0', '--log-level=error'],
      { stdio: 'ignore' },
    );
    await waitForPort(port, 10_000);
  };
  await start();
  process.on('exit', () => child?.kill('SIGKILL'));
  return {
    uri: `mongodb://127.0.0.1:${port}/loadctl`,
    port,
    kill: async () => {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child!.kill('SIGKILL');
      await exited;
    },
    restart: start,
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`FerretDB did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
