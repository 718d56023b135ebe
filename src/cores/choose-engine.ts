/**
 * Which engine a run uses (issue 20): `auto` is rust when its binary is present for every instance of
 * the run, else node (`native`). Locally that is this machine's binary; a fleet's hosts are not checked
 * here yet, so over SSH `auto` stays with node and `--engine rust` asks for it outright. Pure.
 */
import type { EngineChoice } from '../config/config-types.js';
import type { EngineName } from '../engines/engine.js';

export interface EngineFacts {
  runner: 'local' | 'ssh' | 'kubernetes';
  /** `loadctl-engine` is on this machine (findRustEngine). */
  rustBinaryHere: boolean;
}

export function chooseEngine(choice: EngineChoice, facts: EngineFacts): EngineName {
  if (choice !== 'auto') return choice;
  return facts.runner === 'local' && facts.rustBinaryHere ? 'rust' : 'native';
}
