/** `loadctl engine run`: one native-engine instance in the foreground, its InstanceResult as output. */
import { Command } from 'commander';
import { EXIT_CODES } from '../../contract/loadctl-error.js';
import { configFlagsOf, sharedOptions, type SharedFlags } from './shared-options.js';

type EngineRunFlags = Pick<SharedFlags, 'rate' | 'duration' | 'target' | 'ca' | 'cert' | 'key' | 'insecure' | 'workers' | 'config' | 'out'> & { rawSamples?: string };

export function engineCommand(): Command {
  const engine = new Command('engine').description("loadctl's native load engine on its own (one instance, no fleet)");
  const run = engine
    .command('run')
    .description('run a scenario with one native instance in the foreground; prints a progress line per second and the result')
    .argument('<scenario>', 'scenario file, e.g. scenarios/simple.ts');
  for (const option of sharedOptions(['rate', 'duration', 'target', 'ca', 'cert', 'key', 'insecure', 'workers', 'config', 'out'], { workers: 'worker threads (default: one per core)', out: 'write the InstanceResult (JSON) here (checked before the run)' })) {
    run.addOption(option);
  }
  run
    .option('--raw-samples <file>', 'write every request (due, sent, latency, outcome) as JSON lines here')
    .addHelpText(
      'after',
      `
Examples:
  $ loadctl engine run scenarios/simple.ts --rate 1000 --duration 10s --out result.json
  $ loadctl engine run scenarios/full.ts --rate 500 --duration 5s --raw-samples raw.jsonl

The result is an InstanceResult (docs/instance-result.md); \`loadctl merge\` judges one or many.`,
    )
    .action(async (scenario: string, flags: EngineRunFlags) => {
      const { runEngine } = await import('../cores/run-engine.js');
      const { writeOutputFile } = await import('../report/write-reports.js');
      // Ctrl-C and SIGTERM (a supervisor, a CI timeout) both stop the schedule: in-flight requests end, the result is kept.
      const interrupt = new AbortController();
      const stop = () => interrupt.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const result = await runEngine({
        scenario,
        ...(flags.config ? { configPath: flags.config } : {}),
        flags: configFlagsOf(flags),
        ...(flags.workers ? { workers: flags.workers } : {}),
        ...(flags.rawSamples ? { rawSamplesFile: flags.rawSamples } : {}),
        ...(flags.out ? { out: flags.out } : {}),
        signal: interrupt.signal,
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      if (flags.out) await writeOutputFile(flags.out, `${JSON.stringify(result, null, 2)}\n`);
      const o = result.overall;
      console.log(
        `${result.status}: ${o.requests} requests (${o.outcomes['2xx']} 2xx), ${o.droppedIterations} dropped, p50 ${o.latency.p50Ms.toFixed(2)} ms, p95 ${o.latency.p95Ms.toFixed(2)} ms, p99 ${o.latency.p99Ms.toFixed(2)} ms` +
          (result.generator.limited ? `\ngenerator-limited: ${result.generator.reasons.join('; ')}` : '') +
          (flags.out ? `\nresult written to ${flags.out}` : ''),
      );
      // Worker threads are gone; exit even if a stray handle lingers, with a code that says how it ended.
      process.exit(engineExitCode(result.status, interrupt.signal.aborted));
    });
  return engine;
}

/** 0 when the schedule ran out; 130 when a signal stopped it (as `run`); 13 when the engine failed (the load was incomplete). */
export function engineExitCode(status: 'completed' | 'stopped' | 'failed', signalled: boolean): number {
  if (status === 'failed') return EXIT_CODES.degraded;
  if (status === 'stopped' && signalled) return EXIT_CODES.interrupted;
  return EXIT_CODES.ok;
}
