// The layers of README's "Layout" as an ESLint rule (issue 17): which folder may import which, checked on the
// resolved path of every relative import (static, dynamic and re-export), so `npx eslint .` fails on an arrow
// drawn the wrong way. Tests, benches and scripts may import anything.
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** The command cores and the thin commands above them; nothing below may reach up into either. */
const UPPER = ['src/cli.ts', 'src/commands/', 'src/cores/'];
/** What the agent (and so the single-file agent bundle) must never pull in: the controller side. */
const CONTROLLER_SIDE = ['src/controller/', 'src/runners/', 'src/fleet/', 'src/report/', 'src/verdict/', 'src/phases/', 'src/gate/', 'src/compare/', 'src/config/', 'src/doctor/'];

/**
 * [who, may not import, why, types allowed]: the first rule whose `who` prefix matches the importing file
 * and one of whose prefixes matches the imported file reports.
 */
const RULES = [
  ['contract/', ['src/', 'target-service/'], 'contract/ is the leaf the service and the CLI share: it imports only contract/'],
  ['target-service/', ['src/'], 'the service stands alone (STYLE.md §10): share through contract/, never import loadctl'],
  ['src/protocol/', ['src/', 'target-service/'], 'wire contracts are leaves: src/protocol/ imports only itself and contract/ (types excepted)', true],
  ['src/commands/', ['target-service/src/'], 'the CLI uses the service through its entries target-service/index.ts and defaults.ts'],
  ['src/cores/', ['src/cli.ts', 'src/commands/', 'target-service/'], 'cores return results to the commands; they never import them'],
  ['src/agent/', [...UPPER, ...CONTROLLER_SIDE, 'target-service/'], 'the agent side (and its bundle) stays free of the controller, reports and commands'],
  ['src/engines/', [...UPPER, ...CONTROLLER_SIDE, 'src/agent/', 'target-service/'], 'engines are looked up by the agent loop; they import no agent, controller or command code'],
  ['src/', [...UPPER, 'target-service/'], 'domain folders hold their concept only: commands and cores sit above them, the service beside them'],
];

const PROTOCOL_EXCEPTIONS = ['src/protocol/', 'contract/'];

function check(context, node, source, typeOnly) {
  if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
  const from = relative(ROOT, context.filename);
  const to = relative(ROOT, resolve(dirname(context.filename), source.value)).replace(/\.js$/, '.ts');
  for (const [who, forbidden, why, typesAllowed] of RULES) {
    if (!from.startsWith(who)) continue;
    if (who === 'src/protocol/' && PROTOCOL_EXCEPTIONS.some((prefix) => to.startsWith(prefix))) return;
    if (who === 'src/' && to.startsWith('src/') && UPPER.some((prefix) => from.startsWith(prefix))) return;
    if (forbidden.some((prefix) => to.startsWith(prefix)) && !(typesAllowed && typeOnly)) {
      context.report({ node, message: `${from} may not import ${to}: ${why}` });
    }
    return;
  }
}

const layersRule = {
  meta: { type: 'problem', docs: { description: "keeps the import arrows of README's layout" }, schema: [] },
  create(context) {
    return {
      ImportDeclaration: (node) => check(context, node, node.source, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => check(context, node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(context, node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(context, node, node.source, false),
    };
  },
};

export const layersPlugin = { rules: { layers: layersRule } };
