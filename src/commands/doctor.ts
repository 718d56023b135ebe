/** `loadctl doctor`: is this machine ready to generate load (and run the target-service)? */
import { Command } from 'commander';
import { EXIT_CODES } from '../../contract/loadctl-error.js';

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check k6, Go, open-files limit, port range, tcp_tw_reuse, cores and memory; each OK/WARN/FAIL with the fix')
    .option('--k6 <path>', 'the k6 binary to check (default: $LOADCTL_K6, then PATH)')
    .option('--json', 'print the checks as JSON')
    .action(async (flags: { k6?: string; json?: boolean }) => {
      const [{ readSystemFacts }, { judgeSystem }, { renderChecks }] = await Promise.all([
        import('../doctor/system-facts.js'),
        import('../doctor/judge-system.js'),
        import('../doctor/render-checks.js'),
      ]);
      const checks = judgeSystem(readSystemFacts({ k6Flag: flags.k6 }));
      console.log(flags.json ? JSON.stringify({ checks }, null, 2) : renderChecks(checks));
      process.exitCode = checks.some((check) => check.status === 'fail') ? EXIT_CODES.environment : EXIT_CODES.ok;
    });
}
