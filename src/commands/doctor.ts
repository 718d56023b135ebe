/** `loadctl doctor`: is this machine ready to generate load (and run the target-service)? */
import { Command } from 'commander';
import { EXIT_CODES } from '../../contract/loadctl-error.js';
import { configFlagsOf, sharedOptions, type SharedFlags } from './shared-options.js';

type DoctorFlags = Pick<SharedFlags, 'target' | 'ca' | 'cert' | 'key' | 'insecure' | 'config'> & { k6?: string; json?: boolean };

export function doctorCommand(): Command {
  const command = new Command('doctor');
  for (const option of sharedOptions(['target', 'ca', 'cert', 'key', 'insecure', 'config'], { target: "the target to check, as a run would reach it (default: the config's, API_URL, else http://127.0.0.1:3000)" })) {
    command.addOption(option);
  }
  return command
    .description("check k6, Go, open-files limit, port range, tcp_tw_reuse, cores, memory, and that the target answers (TLS verified); each OK/WARN/FAIL with the fix")
    .option('--k6 <path>', 'the k6 binary to check (default: $LOADCTL_K6, then PATH)')
    .option('--json', 'print the checks as JSON')
    .action(async (flags: DoctorFlags) => {
      const [{ readSystemFacts }, { judgeSystem }, { renderChecks }, { checkTargetFromHere }] = await Promise.all([
        import('../doctor/system-facts.js'),
        import('../doctor/judge-system.js'),
        import('../doctor/render-checks.js'),
        import('../doctor/check-target.js'),
      ]);
      const target = await checkTargetFromHere({ ...(flags.config ? { configPath: flags.config } : {}), flags: configFlagsOf(flags) });
      const checks = [...judgeSystem(readSystemFacts({ k6Flag: flags.k6 })), target];
      console.log(flags.json ? JSON.stringify({ checks }, null, 2) : renderChecks(checks));
      process.exitCode = checks.some((check) => check.status === 'fail') ? EXIT_CODES.environment : EXIT_CODES.ok;
    });
}
