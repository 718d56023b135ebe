/** Engines by name, loaded only when chosen (k6 facts never load for a native run, and back). Add an engine here. */
import type { Engine, EngineName, EngineSettings } from './engine.js';

const ENGINES: Record<EngineName, (settings: EngineSettings) => Promise<Engine>> = {
  native: async (settings) => (await import('./native/native-engine.js')).createNativeEngine(settings),
  rust: async (settings) => (await import('./rust/rust-engine.js')).createRustEngine(settings),
  k6: async (settings) => (await import('./k6/k6-engine.js')).createK6Engine(settings),
};

/** The names `--engine` accepts, in help order. */
export const ENGINE_NAMES = Object.keys(ENGINES) as EngineName[];

/** The engine called `name`; rejects with EngineUnavailableError when it cannot run on this host. */
export function loadEngine(name: EngineName, settings: EngineSettings): Promise<Engine> {
  return ENGINES[name](settings);
}
