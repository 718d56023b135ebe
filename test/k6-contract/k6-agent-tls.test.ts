// The k6 agent's TLS over the k6 contract double (k6-double.ts, k6-double-tls.ts), NOT k6: k6 is never run in this project.
/**
 * The agent gets PEM in `prepare` and must hand it to k6 as files and environment only: the double
 * trusts only the SSL_CERT_FILE it is started with, presents only the tlsAuth its script's init read
 * with open(), and verifies unless the options say insecureSkipTLSVerify — against the real
 * target-service serving TLS (and requiring client certificates) with a CA made at run time.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TlsMaterial } from '../../src/net/tls-material.js';
import { compileK6Script } from '../../src/engines/k6/compile-k6-script.js';
import { K6_TLS_ENV } from '../../src/engines/k6/k6-tls.js';
import type { InstanceResult } from '../../src/protocol/instance-result.js';
import type { ScenarioPlan } from '../../src/scenario/plan.js';
import { planScenarioFile } from '../helpers/plan-file.js';
import { splitPlan } from '../../src/split/split-plan.js';
import { cliPath, repoRoot } from '../helpers/repo.js';
import { startTestTarget } from '../helpers/target.js';
import { createTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';
import { startAgentUnderTest } from '../engines/k6/k6-agent-harness.js';
import { installK6Double, type InstalledK6Double } from './k6-double-install.js';
import type { DoubleTlsSeen } from './k6-double-tls.js';

type Target = Awaited<ReturnType<typeof startTestTarget>>;
type TlsEvent = DoubleTlsSeen & { opened: Array<{ path: string; mode: number }> };

async function servedCount(target: Target): Promise<number> {
  const text = await (await fetch(target.metricsUrl!)).text();
  return [...text.matchAll(/^http_requests_total\{route="\/v1\/events",[^}]*\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function httpsPlan(target: Target, insecure: boolean): Promise<ScenarioPlan> {
  const plan = await planScenarioFile({ file: 'scenarios/simple.ts', cwd: repoRoot(), target: target.url, rate: 20, durationMs: 1000 });
  return { ...plan, tls: { insecure } };
}

/** One instance through prepare → start → result, with `tls` in prepare; the agent then closes. */
async function runInstance(plan: ScenarioPlan, tls: TlsMaterial | undefined): Promise<{ result: InstanceResult; double: InstalledK6Double; seen: TlsEvent }> {
  const script = (await compileK6Script(plan)).code;
  const double = installK6Double({ initDelayMs: 50 });
  const agent = startAgentUnderTest({ k6Path: double.path, stopGraceMs: 2000 });
  await agent.next('hello');
  agent.send({ type: 'prepare', protocol: 1, instancePlan: splitPlan(plan, 1, 'k6-agent-tls')[0]!, options: { k6Script: script, ...(tls ? { tls } : {}) } });
  await agent.next('ready');
  agent.send({ type: 'start', at: Date.now() + 50, clockOffsetMs: 0 });
  const { result } = await agent.next('result', 20_000);
  agent.closeInput();
  assert.deepEqual(await agent.done, { error: null, exitCode: 0 });
  const seen = double.events().find((event) => event.event === 'tls') as unknown as TlsEvent | undefined;
  assert.ok(seen, 'the double logged what TLS it was given');
  return { result, double, seen };
}

describe('k6 agent: TLS material reaches k6 as private files and environment (over the contract double, NOT k6)', () => {
  let certs: TestCertificates;
  let mtls: Target;
  let tlsOnly: Target;
  const pem = (file: string) => readFileSync(file, 'utf8');
  before(async () => {
    certs = createTestCertificates();
    mtls = await startTestTarget({ tls: { cert: certs.server.cert, key: certs.server.key, clientCa: certs.ca.cert } });
    tlsOnly = await startTestTarget({ tls: { cert: certs.server.cert, key: certs.server.key } });
  });
  after(async () => {
    await mtls?.stop();
    await tlsOnly?.stop();
  });

  it('CA + client certificate against an mTLS target: every request 2xx, the server counted them; files 0600, gone after the agent', async () => {
    const before = await servedCount(mtls);
    const { result, double, seen } = await runInstance(await httpsPlan(mtls, false), { ca: pem(certs.ca.cert), cert: pem(certs.client.cert), key: pem(certs.client.key) });
    assert.ok(result.plannedIterations > 0);
    assert.equal(result.overall.outcomes['2xx'], result.plannedIterations, JSON.stringify(result.overall.outcomes));
    assert.equal((await servedCount(mtls)) - before, result.overall.requests, 'server count == client count');

    assert.equal(seen.insecureSkipTLSVerify, false);
    assert.equal(seen.tlsAuth, 1);
    // SSL_CERT_FILE: the CA plus the roots the node engine trusts (so public CAs stay trusted), private.
    assert.ok(seen.sslCertFile && seen.sslCertFile.mode === 0o600 && seen.sslCertFile.certificates > 1, JSON.stringify(seen.sslCertFile));
    // tlsAuth came from the files the agent named with -e, read by the script's init; private too.
    const args = double.events().find((event) => event.event === 'spawned')!.args as string[];
    const named = [K6_TLS_ENV.certFile, K6_TLS_ENV.keyFile].map((knob) => args.find((arg) => arg.startsWith(`${knob}=`))!.slice(knob.length + 1));
    assert.deepEqual(seen.opened.map((file) => file.path), named);
    assert.ok(seen.opened.every((file) => file.mode === 0o600), JSON.stringify(seen.opened));
    assert.ok(!args.some((arg) => arg.includes('BEGIN')), 'no PEM on the command line');

    const files = [...named, seen.sslCertFile.path];
    assert.equal(new Set(files.map((file) => dirname(file))).size, 1, 'all in the session dir');
    for (const file of files) assert.equal(existsSync(file), false, `${file} outlived the agent`);
    assert.equal(existsSync(dirname(files[0]!)), false, 'the session dir is removed');
  });

  it('the same target with the CA but no client certificate: no tlsAuth, nothing accepted (the double presents only what it is given)', async () => {
    const { result, seen } = await runInstance(await httpsPlan(mtls, false), { ca: pem(certs.ca.cert) });
    assert.equal(seen.tlsAuth, 0);
    assert.ok(result.overall.requests > 0);
    assert.equal(result.overall.outcomes['2xx'], 0, JSON.stringify(result.overall.outcomes));
  });

  it('verified, no CA: SSL_CERT_FILE left as the host has it, every request is the tls outcome (k6 code 1310, unknown authority)', async () => {
    const { result, seen } = await runInstance(await httpsPlan(tlsOnly, false), undefined);
    assert.equal(seen.sslCertFile?.path ?? null, process.env.SSL_CERT_FILE || null, 'the agent sets SSL_CERT_FILE only for a CA');
    assert.ok(result.overall.requests > 0);
    assert.equal(result.overall.outcomes.tls, result.overall.requests, JSON.stringify(result.overall.outcomes));
  });

  it('an --insecure plan, no CA: insecureSkipTLSVerify reaches k6, every request 2xx', async () => {
    const { result, seen } = await runInstance(await httpsPlan(tlsOnly, true), undefined);
    assert.equal(seen.insecureSkipTLSVerify, true);
    assert.equal(result.overall.outcomes['2xx'], result.plannedIterations);
  });

  it('`loadctl agent --engine k6` ended by SIGTERM mid-run: k6 stopped, the TLS files and their dir removed', async () => {
    const plan = await planScenarioFile({ file: 'scenarios/simple.ts', cwd: repoRoot(), target: mtls.url, rate: 10, durationMs: 30_000 });
    const double = installK6Double({ initDelayMs: 50 });
    const agent = spawn(process.execPath, [cliPath(), 'agent', '--engine', 'k6', '--k6', double.path], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => agent.once('exit', (code, signal) => resolve([code, signal])));
    const lines = createInterface({ input: agent.stdout });
    // The first progress sample: k6 is running (the protocol has no `started` message any more).
    const started = new Promise<void>((resolve) => lines.on('line', (line) => (JSON.parse(line) as { type: string }).type === 'progress' && resolve()));
    const send = (message: object) => agent.stdin.write(`${JSON.stringify(message)}\n`);
    const tls = { ca: pem(certs.ca.cert), cert: pem(certs.client.cert), key: pem(certs.client.key) };
    send({ type: 'prepare', protocol: 1, instancePlan: splitPlan({ ...plan, tls: { insecure: false } }, 1, 'k6-agent-tls-signal')[0]!, options: { k6Script: (await compileK6Script(plan)).code, tls } });
    lines.on('line', (line) => (JSON.parse(line) as { type: string }).type === 'ready' && send({ type: 'start', at: Date.now() + 50, clockOffsetMs: 0 }));
    await started;
    const seen = double.events().find((event) => event.event === 'tls') as unknown as TlsEvent;
    const files = [...seen.opened.map((file) => file.path), seen.sslCertFile!.path];
    for (const file of files) assert.ok(existsSync(file), `${file} exists while k6 runs`);
    agent.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null], 'the agent ended by itself, not by the signal');
    for (const file of [...files, dirname(files[0]!)]) assert.equal(existsSync(file), false, `${file} outlived the agent`);
    const doublePid = double.events().find((event) => event.event === 'spawned')!.pid;
    assert.ok(double.events().some((event) => event.event === 'exit' && event.pid === doublePid), 'k6 was stopped');
  });

  it('a client key without its certificate is refused at prepare (usage), before any k6 starts', async () => {
    const double = installK6Double();
    const agent = startAgentUnderTest({ k6Path: double.path });
    await agent.next('hello');
    const plan = await httpsPlan(mtls, false);
    agent.send({ type: 'prepare', protocol: 1, instancePlan: splitPlan(plan, 1, 'k6-agent-tls-bad')[0]!, options: { k6Script: (await compileK6Script(plan)).code, tls: { key: pem(certs.client.key) } } });
    const error = await agent.next('error');
    assert.equal(error.kind, 'usage');
    assert.match(error.message, /client key without its certificate/);
    await agent.done;
    assert.equal(double.events().filter((event) => event.event === 'spawned').length, 0);
  });
});
