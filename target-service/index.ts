/**
 * The target-service's public entry: what another program (loadctl's `target` command, a user's own
 * launcher) may use to run it. The service imports nothing from loadctl's src/; loadctl imports the
 * service only here and in defaults.ts, never its src/ (eslint.config.js keeps both arrows so).
 * Loading this pulls in the whole service (~0.3 s): import it lazily.
 */
export { runTargetService } from './src/run-target-service.js';
export { buildOpenApiDocument } from './src/contract/openapi.js';
