/** `loadctl fleet check|provision`: readiness of the SSH generator hosts, and pushing the agent to them. */
import { Command, Option } from 'commander';
import { EXIT_CODES } from '../../contract/loadctl-error.js';
import { configFlagsOf, sharedOptions, type SharedFlags } from './shared-options.js';

interface CommonFlags {
  config: string;
  acceptNewHostKeys?: boolean;
  json?: boolean;
}

const CONFIG_DEFAULT = 'loadctl.config.yaml';

export function fleetCommand(): Command {
  const fleet = new Command('fleet').description('the SSH generator hosts of loadctl.config.yaml (fleet.hosts)');
  fleet.addCommand(checkCommand());
  fleet.addCommand(provisionCommand());
  return fleet;
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--config <path>', 'config file with the fleet section', CONFIG_DEFAULT)
    .option('--accept-new-host-keys', 'record host keys known_hosts does not list yet (trust on first use; changed keys are still refused)')
    .option('--json', 'print the result as JSON');
}

function checkCommand(): Command {
  const command = withCommonOptions(new Command('check'));
  for (const option of sharedOptions(['target', 'ca', 'cert', 'key', 'insecure'], { target: "the target each host must reach (default: the config's target.url or API_URL; none given: not checked)" })) {
    command.addOption(option);
  }
  return command
    .description('check every host in parallel: reachable, host key, authenticated, Node ≥ 20, k6 (with --engine k6), open files, port range, tcp_tw_reuse, cores, memory, loadctl-engine (with --engine rust), clock offset, and the target as each host reaches it (TLS verified)')
    .addOption(new Option('--engine <engine>', 'engine to check for (rust: the pushed loadctl-engine runs there)').choices(['native', 'node', 'rust', 'k6']).default('native'))
    .action(async (flags: CommonFlags & Pick<SharedFlags, 'target' | 'ca' | 'cert' | 'key' | 'insecure'> & { engine: 'native' | 'node' | 'rust' | 'k6' }) => {
      const [{ readFleetConfig }, { checkFleet }, { renderFleetChecks }, { targetCheckOf }] = await Promise.all([
        import('../fleet/read-fleet-section.js'),
        import('../fleet/check-fleet.js'),
        import('../fleet/render-fleet-checks.js'),
        import('../doctor/check-target.js'),
      ]);
      const config = readFleetConfig(flags.config);
      const target = await targetCheckOf({ configPath: flags.config, flags: configFlagsOf(flags) });
      const result = await checkFleet(config, {
        engine: flags.engine === 'node' ? 'native' : flags.engine,
        acceptNewHostKeys: flags.acceptNewHostKeys ?? false,
        onNotice: (line) => console.error(`loadctl: ${line}`),
        // The default target is each host's own loopback: only a target the user named is checked from the hosts.
        ...(target.context.explicit ? { target } : {}),
      });
      console.log(flags.json ? JSON.stringify(result, null, 2) : renderFleetChecks(result));
      process.exitCode = result.ok ? EXIT_CODES.ok : EXIT_CODES.environment;
    });
}

function provisionCommand(): Command {
  return withCommonOptions(new Command('provision'))
    .description('push the agent bundle to every host over SFTP (sha256-verified, skipped when identical); --k6 pushes a k6 binary you supply')
    .option('--k6 <path>', 'a k6 binary you built or downloaded, pushed to each host\'s fleet.hosts[].k6 path (default <workDir>/k6); loadctl never downloads k6')
    .option('--agent-bundle <path>', 'the agent bundle to push (default: the one `npm run build` made)')
    .option('--no-rust-engine', 'do not push the rust engine (pushed by default when `npm run build:engine` made it)')
    .action(async (flags: CommonFlags & { k6?: string; agentBundle?: string; rustEngine: boolean }) => {
      const [{ readFleetConfig }, { provisionFleet }, { renderProvision, resolveLocalK6 }, { resolveAgentBundle }] = await Promise.all([
        import('../fleet/read-fleet-section.js'),
        import('../fleet/provision-fleet.js'),
        import('../fleet/render-provision.js'),
        import('../fleet/agent-bundle.js'),
      ]);
      const rustEngine = flags.rustEngine ? (await import('../engines/rust/engine-binary.js')).findRustEngine() : null;
      const config = readFleetConfig(flags.config);
      const result = await provisionFleet(config, {
        agentBundle: resolveAgentBundle(flags.agentBundle),
        ...(flags.k6 ? { k6: resolveLocalK6(flags.k6) } : {}),
        ...(rustEngine ? { rustEngine } : {}),
        acceptNewHostKeys: flags.acceptNewHostKeys ?? false,
        onNotice: (line) => console.error(`loadctl: ${line}`),
      });
      console.log(flags.json ? JSON.stringify(result, null, 2) : renderProvision(result));
      process.exitCode = result.ok ? EXIT_CODES.ok : EXIT_CODES.environment;
    });
}
