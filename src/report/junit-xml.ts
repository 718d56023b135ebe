/**
 * JUnit XML writing for junit-report.ts: suites and cases in, the XML text out, every string escaped.
 * The element and attribute set is the one JUnit consumers share (Jenkins, GitLab, GitHub test
 * reporters): testsuites > testsuite > (properties, testcase > failure | skipped, system-out).
 */
export interface JunitCase {
  name: string;
  classname: string;
  /** Seconds. */
  time?: number;
  failure?: { type: string; message: string; body: string };
  skipped?: string;
  systemOut?: string;
}

export interface JunitSuite {
  name: string;
  /** Seconds. */
  time: number;
  timestamp?: string;
  properties?: Record<string, string>;
  cases: JunitCase[];
}

/** `time`: the whole report's seconds (suites of one run overlap in time, so they do not add). */
export function renderJunitXml(name: string, suites: readonly JunitSuite[], time: number): string {
  const totals = countOf(suites.flatMap((suite) => suite.cases));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(name)}" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${seconds(time)}">`,
    ...suites.flatMap((suite) => suiteLines(suite)),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function suiteLines(suite: JunitSuite): string[] {
  const totals = countOf(suite.cases);
  const timestamp = suite.timestamp ? ` timestamp="${attr(suite.timestamp)}"` : '';
  const lines = [`  <testsuite name="${attr(suite.name)}" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${seconds(suite.time)}"${timestamp}>`];
  const properties = Object.entries(suite.properties ?? {});
  if (properties.length > 0) {
    lines.push('    <properties>', ...properties.map(([key, value]) => `      <property name="${attr(key)}" value="${attr(value)}"/>`), '    </properties>');
  }
  for (const testcase of suite.cases) lines.push(...caseLines(testcase));
  lines.push('  </testsuite>');
  return lines;
}

function caseLines(testcase: JunitCase): string[] {
  const open = `    <testcase name="${attr(testcase.name)}" classname="${attr(testcase.classname)}" time="${seconds(testcase.time ?? 0)}"`;
  const inner: string[] = [];
  if (testcase.failure) inner.push(`      <failure type="${attr(testcase.failure.type)}" message="${attr(testcase.failure.message)}">${text(testcase.failure.body)}</failure>`);
  else if (testcase.skipped !== undefined) inner.push(`      <skipped message="${attr(testcase.skipped)}"/>`);
  if (testcase.systemOut) inner.push(`      <system-out>${text(testcase.systemOut)}</system-out>`);
  return inner.length === 0 ? [`${open}/>`] : [`${open}>`, ...inner, '    </testcase>'];
}

function countOf(cases: readonly JunitCase[]): { tests: number; failures: number; skipped: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.failure).length,
    skipped: cases.filter((c) => !c.failure && c.skipped !== undefined).length,
  };
}

function seconds(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : '0.000';
}

/** XML 1.0 forbids most control characters even escaped: drop them (names are user input). */
function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
