/** `loadctl kube check|gc`: whether a cluster can carry `--runner kubernetes`, and removing what a killed run left. */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { EXIT_CODES } from '../../contract/loadctl-error.js';
import { parseDurationFlag } from './option-parsers.js';

interface KubeFlags {
  config?: string;
  json?: boolean;
}

const CONFIG_DEFAULT = 'loadctl.config.yaml';

export function kubeCommand(): Command {
  const kube = new Command('kube').description('the Kubernetes cluster of loadctl.config.yaml (the kubernetes section; docs/kubernetes.md)');
  kube.addCommand(checkCommand());
  kube.addCommand(gcCommand());
  return kube;
}

function checkCommand(): Command {
  return new Command('check')
    .description('check the cluster: API server, namespace, every verb the runner uses (SelfSubjectAccessReview), image pull policy')
    .option('--config <path>', `config file with the kubernetes section (default ${CONFIG_DEFAULT} when present)`)
    .option('--json', 'print the result as JSON')
    .action(async (flags: KubeFlags) => {
      const [{ readKubernetesConfig }, { checkKube, renderKubeCheck }] = await Promise.all([import('../runners/kubernetes/read-kubernetes-section.js'), import('../runners/kubernetes/check-kube.js')]);
      const result = await checkKube(readKubernetesConfig(configFile(flags)));
      console.log(flags.json ? JSON.stringify(result, null, 2) : renderKubeCheck(result));
      process.exitCode = result.ok ? EXIT_CODES.ok : EXIT_CODES.environment;
    });
}

function gcCommand(): Command {
  return new Command('gc')
    .description('delete the Jobs (with their pods) and ConfigMaps loadctl created in the namespace, e.g. after a killed controller')
    .option('--config <path>', `config file with the kubernetes section (default ${CONFIG_DEFAULT} when present)`)
    .option('--run <id>', 'only that run’s objects (the run id a report names)')
    .option('--older-than <duration>', 'only objects created longer ago than this, e.g. 2h: spares runs still going in a shared namespace', parseDurationFlag)
    .option('--json', 'print what was deleted as JSON')
    .action(async (flags: KubeFlags & { run?: string; olderThan?: number }) => {
      const [{ readKubernetesConfig }, { connectKube }, { deleteByLabel }] = await Promise.all([
        import('../runners/kubernetes/read-kubernetes-section.js'),
        import('../runners/kubernetes/kube-client.js'),
        import('../runners/kubernetes/run-cleanup.js'),
      ]);
      const client = connectKube(readKubernetesConfig(configFile(flags)));
      const deleted = await deleteByLabel(client, flags.run ?? null, flags.olderThan !== undefined ? { olderThanMs: flags.olderThan } : {});
      if (flags.json) console.log(JSON.stringify(deleted, null, 2));
      else console.log(`deleted ${deleted.jobs.length} Job(s) ${deleted.jobs.join(' ')} and ${deleted.configMaps.length} ConfigMap(s) ${deleted.configMaps.join(' ')} in namespace ${client.namespace}`.replace(/ +/g, ' '));
    });
}

/** The flag, else loadctl.config.yaml when it exists, else none (every default). */
function configFile(flags: KubeFlags): string | null {
  if (flags.config) return flags.config;
  return existsSync(CONFIG_DEFAULT) ? CONFIG_DEFAULT : null;
}
