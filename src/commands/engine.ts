/** `loadctl engine run`: one native-engine instance in the foreground, its InstanceResult as output. */
import { Command } from 'commander';
import { formatDuration } from '../scenario/duration.js';
import { parseDurationFlag, parseInteger } from './option-parsers.js';

interface EngineRunFlags {
  rate?: string;
  /** ms */
  duration?: number;
  target?: string;
  workers?: number;
  out?: string;
  rawSamples?: string;
}

export function engineCommand(): Command {
  const engine = new Command('engine').description("loadctl's native load engine on its own (one instance, no fleet)");
  engine
    .command('run')
    .description('run a scenario with one native instance in the foreground; prints a progress line per second and the result')
    .argument('<scenario>', 'scenario file, e.g. scenarios/simple.ts')
    .option('--rate <rps>', 'total requests/s (every sub-scenario in proportion)')
    .option('--duration <duration>', 'how long, e.g. 30s', parseDurationFlag)
    .option('--target <url>', 'base URL of the service under test (env API_URL)')
    .option('--workers <n>', 'worker threads (default: one per core)', parseInteger(1))
    .option('--out <file>', 'write the InstanceResult (JSON) here')
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
      const interrupt = new AbortController();
      process.once('SIGINT', () => interrupt.abort());
      const result = await runEngine({
        scenario,
        rate: flags.rate,
        // runEngine takes a duration as text (as a config file holds it): back from the checked ms, exactly.
        duration: flags.duration === undefined ? undefined : formatDuration(flags.duration),
        target: flags.target,
        ...(flags.workers ? { workers: flags.workers } : {}),
        ...(flags.rawSamples ? { rawSamplesFile: flags.rawSamples } : {}),
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
      process.exit(0);
    });
  return engine;
}
