/** loadctl's version, in one place: `loadctl --version`, the native engine's hello and results. test/version.test.ts pins it to package.json. */
export const LOADCTL_VERSION = '0.1.0';
