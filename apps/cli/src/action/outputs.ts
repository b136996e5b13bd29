import type { PullRequestReport } from './report.js';
import type { Runner } from './runner.js';

/** The Action's outputs (action.yml): bump, breaking, consumers (comma-separated), sarif-file. */
export function writeReportOutputs(runner: Runner, report: Pick<PullRequestReport, 'bump' | 'breaking' | 'consumers'>, sarifFile?: string): void {
  runner.setOutput('bump', report.bump);
  runner.setOutput('breaking', String(report.breaking));
  runner.setOutput('consumers', report.consumers.join(','));
  if (sarifFile !== undefined) runner.setOutput('sarif-file', sarifFile);
}
