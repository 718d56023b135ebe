import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseEngine } from '../../src/cores/choose-engine.js';

describe('chooseEngine', () => {
  const cases: Array<[string, Parameters<typeof chooseEngine>, ReturnType<typeof chooseEngine>]> = [
    ['auto, local, binary here: rust', ['auto', { runner: 'local', rustBinaryHere: true }], 'rust'],
    ['auto, local, no binary: node', ['auto', { runner: 'local', rustBinaryHere: false }], 'native'],
    ['auto over SSH: node (the hosts\' binaries are not checked yet)', ['auto', { runner: 'ssh', rustBinaryHere: true }], 'native'],
    ['asked for rust: rust, binary or not (the agent says what is missing)', ['rust', { runner: 'local', rustBinaryHere: false }], 'rust'],
    ['asked for node: node', ['native', { runner: 'local', rustBinaryHere: true }], 'native'],
    ['asked for k6: k6', ['k6', { runner: 'ssh', rustBinaryHere: true }], 'k6'],
  ];
  for (const [name, args, expected] of cases) it(name, () => assert.equal(chooseEngine(...args), expected));
});
