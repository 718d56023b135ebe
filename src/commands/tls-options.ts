/** The target's TLS flags, declared once for every command that reaches the target (run, phase). */
import type { Command } from 'commander';
import type { ConfigFlags } from '../config/config-types.js';

export interface TlsFlags {
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}

export function addTlsOptions(command: Command): Command {
  return command
    .option('--ca <file>', "https target: PEM file of a CA to trust besides the system's (config target.ca)")
    .option('--cert <file>', 'https target: client certificate (PEM) for mTLS; needs --key (config target.cert)')
    .option('--key <file>', 'https target: private key (PEM) of --cert (config target.key)')
    .option('--insecure', "https target: don't verify the certificate (k6's insecureSkipTLSVerify); the report says so");
}

/** The TLS part of the config flags (absent flags stay absent, so the config file's values hold). */
export function tlsConfigFlags(flags: TlsFlags): Pick<ConfigFlags, 'ca' | 'cert' | 'key' | 'insecure'> {
  return {
    ...(flags.ca !== undefined ? { ca: flags.ca } : {}),
    ...(flags.cert !== undefined ? { cert: flags.cert } : {}),
    ...(flags.key !== undefined ? { key: flags.key } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
  };
}
