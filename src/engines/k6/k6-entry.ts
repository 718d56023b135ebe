/**
 * The k6 entry module: what a compiled k6 script runs. `compileK6Script` bundles it with esbuild into
 * one file — the plan (`LOADCTL_PLAN`) and loadctl's event generator inlined, `k6/*` left as imports.
 * Type-checked against @types/k6 by tsconfig.k6.json (not by the main tsconfig: it runs in k6, not Node).
 *
 * Env knobs (the seed's): RPS or RATE, DURATION, API_URL; plus LOADCTL_RESULT (where the InstanceResult
 * goes, default loadctl-result.json), LOADCTL_RUN_ID, LOADCTL_HOST, LOADCTL_K6_VERSION; for mTLS,
 * LOADCTL_TLS_CERT_FILE and LOADCTL_TLS_KEY_FILE (k6-tls.ts).
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import { createEventGenerator, type EventGenerator } from '../../events/event-generator.js';
import type { ScenarioPlan, SubScenarioPlan } from '../../scenario/plan.js';
import { OUTCOME_TAG, REQUESTS_METRIC, applyEnvironment, buildK6Options, classifyK6Response, outcomeTag } from './k6-options.js';
import { clientCertificateFiles } from './k6-tls.js';
import { renderTextSummary, summaryToInstanceResult, type K6SummaryData, type SetupData } from './k6-summary.js';

/** Replaced by esbuild's `define` with the plan's JSON and its sha256. */
declare const LOADCTL_PLAN: ScenarioPlan;
declare const LOADCTL_PLAN_DIGEST: string;

const plan = applyEnvironment(LOADCTL_PLAN, __ENV);

const clientCertificate = clientCertificateFiles(__ENV);

export const options: Options = {
  ...buildK6Options(plan),
  // Read at init (the only place k6 has open()), from files the k6 agent wrote: the script holds no PEM.
  ...(clientCertificate ? { tlsAuth: [{ cert: open(clientCertificate.certFile), key: open(clientCertificate.keyFile) }] } : {}),
};

const requests = new Counter(REQUESTS_METRIC);

interface SubScenarioState {
  sub: SubScenarioPlan;
  url: string;
  params: { headers: Record<string, string>; timeout: string };
  checkName: string;
  generator: EventGenerator;
}

/** Per VU (each k6 VU is its own JS runtime): one generator per sub-scenario, built on first use. */
const states: Record<string, SubScenarioState> = {};

export function setup(): SetupData {
  return {
    startedAt: Date.now(),
    runTag: __ENV.LOADCTL_RUN_ID || Date.now().toString(36),
    executionSegment: typeof exec.test.options.executionSegment === 'string' ? exec.test.options.executionSegment : null,
  };
}

export default function (data: SetupData): void {
  const state = states[exec.scenario.name] ?? (states[exec.scenario.name] = createState(exec.scenario.name, data));
  const { sub } = state;
  const body = sub.payload.batchSize === 1 ? state.generator.nextEventJson() : state.generator.nextBatchJson(sub.payload.batchSize);
  const response = sub.request.method === 'PUT' ? http.put(state.url, body, state.params) : http.post(state.url, body, state.params);
  requests.add(1, { [OUTCOME_TAG]: outcomeTag(sub.name, classifyK6Response(response.status, response.error_code)) });
  check(response, { [state.checkName]: (r) => sub.request.expectStatus.includes(r.status) });
}

function createState(name: string, data: SetupData): SubScenarioState {
  const index = plan.subScenarios.findIndex((candidate) => candidate.name === name);
  const sub = plan.subScenarios[index];
  if (!sub) throw new Error(`k6 runs scenario '${name}', which the compiled plan does not have`);
  const vu = exec.vu.idInTest;
  return {
    sub,
    url: `${plan.targetUrl}${sub.request.path}`,
    params: { headers: { 'content-type': 'application/json', ...sub.request.headers }, timeout: `${sub.request.timeoutMs}ms` },
    checkName: `status is ${sub.request.expectStatus.join(' or ')}`,
    // Small pools per VU: a k6 VU is a whole JS runtime, and thousands of them share the host's memory.
    generator: createEventGenerator({
      seed: (sub.payload.seed * 1_000_003 + vu) >>> 0,
      idPrefix: `${data.runTag}-${vu.toString(36)}-${index}`,
      typeWeights: sub.payload.eventTypeWeights,
      users: 500,
      templatesPerType: 16,
    }),
  };
}

export function handleSummary(summary: K6SummaryData): Record<string, string> {
  const resultPath = __ENV.LOADCTL_RESULT || 'loadctl-result.json';
  const setupData = summary.setup_data as SetupData | undefined;
  const result = summaryToInstanceResult(summary, {
    plan,
    planDigest: LOADCTL_PLAN_DIGEST,
    setup: setupData ?? { startedAt: Date.now() - summary.state.testRunDurationMs, runTag: __ENV.LOADCTL_RUN_ID || 'k6', executionSegment: null },
    host: __ENV.LOADCTL_HOST || __ENV.HOSTNAME || 'k6',
    k6Version: __ENV.LOADCTL_K6_VERSION || 'unknown',
    endedAt: Date.now(),
  });
  return { stdout: renderTextSummary(summary, result, resultPath), [resultPath]: JSON.stringify(result, null, 2) };
}
