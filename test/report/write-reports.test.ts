import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWrittenReports, ReportWriteError, writeReports } from '../../src/report/write-reports.js';
import { recordedReportOf, validatePhaseOf } from '../gate/report-fixtures.js';

describe('writeReports (what run, phase and gate call)', () => {
  it('writes the asked-for formats, creating directories, and appends the Markdown to GITHUB_STEP_SUMMARY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-write-'));
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, 'before\n');
    const files = { junit: join(dir, 'a/junit.xml'), markdown: join(dir, 'b/summary.md'), html: join(dir, 'c/report.html') };
    const written = await writeReports(validatePhaseOf('critical', 'recorded'), files, { failOn: 'warning', env: { GITHUB_STEP_SUMMARY: summary } });
    assert.deepEqual(written.map((w) => w.format), ['junit', 'markdown', 'step-summary', 'html']);
    assert.match(readFileSync(files.junit, 'utf8'), /<testsuites name="loadctl phase validate: checkout"/);
    assert.equal(readFileSync(summary, 'utf8'), `before\n${readFileSync(files.markdown, 'utf8')}\n`);
    assert.match(readFileSync(files.html, 'utf8'), /<title>loadctl phase validate: checkout — critical<\/title>/);
    assert.match(describeWrittenReports(written), /^JUnit report written to .*junit\.xml\nMarkdown summary written to .*\nMarkdown summary appended to .*step-summary\.md \(GITHUB_STEP_SUMMARY\)\nHTML report written to .*report\.html$/);
  });

  it('nothing asked, no GITHUB_STEP_SUMMARY: writes nothing', async () => {
    assert.deepEqual(await writeReports(recordedReportOf('good'), {}, { env: {} }), []);
  });

  it('an unwritable path is a ReportWriteError naming it (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-write-'));
    writeFileSync(join(dir, 'file'), '');
    await assert.rejects(writeReports(recordedReportOf('good'), { junit: join(dir, 'file/junit.xml') }, { env: {} }), (error: unknown) => {
      assert.ok(error instanceof ReportWriteError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /cannot write .*file\/junit\.xml: it is under a path that is a file, not a directory/);
      return true;
    });
  });
});
