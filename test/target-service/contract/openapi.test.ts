import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildOpenApiDocument } from '../../../target-service/src/contract/openapi.js';
import { repoRoot } from '../../helpers/repo.js';

it('the published openapi.yaml is the contract the service validates with (regenerate: loadctl target openapi > target-service/openapi.yaml)', () => {
  const published = parse(readFileSync(join(repoRoot(), 'target-service', 'openapi.yaml'), 'utf8'));
  assert.deepEqual(published, JSON.parse(JSON.stringify(buildOpenApiDocument())));
});
