/**
 * The rust engine behind the one agent loop: the native engine's instance with `loadctl-engine` threads
 * as its workers (rust-instance.ts). Unavailable — said instead of hello — when the binary is not here.
 */
import { EngineUnavailableError, type Engine, type EngineSettings } from '../engine.js';
import { createNativeEngine } from '../native/native-engine.js';
import { requireRustEngine, rustInstanceOptions } from './rust-instance.js';

export function createRustEngine(settings: EngineSettings): Engine {
  let engine;
  try {
    engine = requireRustEngine();
  } catch (error) {
    throw new EngineUnavailableError(error instanceof Error ? `${error.message}: run \`npm run build:engine\` (or set LOADCTL_ENGINE), or use --engine node` : String(error));
  }
  return createNativeEngine(settings, { name: 'rust', version: engine.version, instanceOptions: (log) => rustInstanceOptions(engine, log) });
}
