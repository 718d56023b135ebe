/**
 * The k6 engine: instead of generating load itself it drives a k6 the user installed (`--k6 PATH`,
 * `LOADCTL_K6`, PATH: find-k6.ts; loadctl never downloads or builds k6), one K6Session per agent. The
 * controller and runners need nothing k6-specific beyond sending the compiled script in
 * `prepare.options.k6Script`; the agent loop (src/agent/run-agent.ts) speaks the protocol.
 */
import { EngineUnavailableError, type Engine, type EngineSettings } from '../engine.js';
import { findK6 } from './find-k6.js';
import { isSupportedK6 } from './k6-version.js';
import { K6Session } from './k6-agent-session.js';

/** The engine, or EngineUnavailableError saying what to do when there is no usable k6 here. */
export function createK6Engine(settings: EngineSettings): Engine {
  const k6 = locateK6(settings);
  return {
    name: 'k6',
    version: k6.version,
    createInstance: (output) =>
      new K6Session({
        k6Path: k6.path,
        k6Version: k6.version,
        readyTimeoutMs: settings.readyTimeoutMs ?? 50_000,
        stopGraceMs: settings.stopGraceMs ?? 2_000,
        send: output.send,
        log: output.log,
      }),
  };
}

/** The user's k6 and its version. */
function locateK6(settings: EngineSettings): { path: string; version: string } {
  const k6 = findK6({ flag: settings.k6Path, env: settings.env ?? process.env });
  if (!k6) {
    throw new EngineUnavailableError('k6 not found (no --k6, LOADCTL_K6 unset, none on PATH): install k6 yourself (loadctl never downloads it) and pass --k6 PATH or set LOADCTL_K6');
  }
  if (!k6.version) throw new EngineUnavailableError(`${k6.path} (from ${k6.source}) is not a usable k6: \`version\` gave ${JSON.stringify(k6.versionOutput.slice(0, 160))}; point --k6 at a k6 ≥ 1.0 binary`);
  if (!isSupportedK6(k6.version)) throw new EngineUnavailableError(`k6 ${k6.version.text} at ${k6.path} is too old: loadctl needs k6 ≥ 1.0 (execution segments, REST status codes); upgrade it or point --k6 at a newer binary`);
  return { path: k6.path, version: k6.version.text };
}
