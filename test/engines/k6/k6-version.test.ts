import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSupportedK6, parseK6Version } from '../../../src/engines/k6/k6-version.js';

describe('parseK6Version / isSupportedK6', () => {
  const cases: Array<[string, string, string | undefined, boolean | undefined]> = [
    ['k6 v1 release line', 'k6 v1.8.1 (commit/f0e1c2d3a4, go1.25.1, linux/amd64)\n', 'v1.8.1', true],
    ['k6 v2 with extensions listed', 'k6 v2.2.0 (go1.25.3, linux/amd64)\nExtensions:\n  github.com/x/xk6-foo v0.1.0, k6/x/foo [js]\n', 'v2.2.0', true],
    ['a pre-release', 'k6 v2.0.0-rc1 (devel, go1.25.0, linux/arm64)', 'v2.0.0-rc1', true],
    ['an old 0.x k6', 'k6 v0.49.0 (2024-01-22T10:00:00+0000/v0.49.0-0-gabc, go1.21.6, linux/amd64)', 'v0.49.0', false],
    ['not k6 at all', 'Usage: foo [options]', undefined, undefined],
  ];
  for (const [name, output, text, supported] of cases) {
    it(name, () => {
      const version = parseK6Version(output);
      assert.equal(version?.text, text);
      if (version) assert.equal(isSupportedK6(version), supported);
    });
  }
});
