/** `loadctl doctor`: is this machine ready to generate load (and run the target-service)? */
import { Command } from 'commander';
import { EXIT_CODES } from '../../contract/loadctl-error.js';
import { addTlsOptions, tlsConfigFlags, type TlsFlags } from './tls-options.js';

interface DoctorFlags extends TlsFlags {
  k6?: string;
  json?: boolean;
  target?: string;
  config?: string;
}

export function doctorCommand(): Command {
  return addTlsOptions(new Command('doctor'))
    .description("check k6, Go, open-files limit, port range, tcp_tw_reuse, cores, memory, and that the target answers (TLS verified); each OK/WARN/FAIL with the fix")
    .option('--k6 <path>', 'the k6 binary to check (default: $LOADCTL_K6, then PATH)')
    .option('--target <url>', "the target to check, as a run would reach it (default: the config's, API_URL, else http://127.0.0.1:3000)")
    .option('--config <path>', 'config file (default: ./loadctl.config.yaml when present)')
    .option('--json', 'print the checks as JSON')
    .action(async (flags: DoctorFlags) => {
      const [{ readSystemFacts }, { judgeSystem }, { renderChecks }, { checkTargetFromHere }] = await Promise.all([
        import('../doctor/system-facts.js'),
        import('../doctor/judge-system.js'),
        import('../doctor/render-checks.js'),
        import('../doctor/check-target.js'),
      ]);
      const target = await checkTargetFromHere({ ...(flags.config ? { configPath: flags.config } : {}), flags: { ...(flags.target ? { target: flags.target } : {}), ...tlsConfigFlags(flags) } });
      const checks = [...judgeSystem(readSystemFacts({ k6Flag: flags.k6 })), target];
      console.log(flags.json ? JSON.stringify({ checks }, null, 2) : renderChecks(checks));
      process.exitCode = checks.some((check) => check.status === 'fail') ? EXIT_CODES.environment : EXIT_CODES.ok;
    });
}
