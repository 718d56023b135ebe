/** The service's defaults, cheap to import (no server code): for help texts and flag defaults. */
export { TARGET_DEFAULTS } from './src/service-options.js';
