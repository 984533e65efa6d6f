/**
 * One run job, done synchronously on the calling thread: the NumPy export or the HTML report the
 * editor asks for. The editor never calls this itself — it runs in the job worker (jobWorker.ts);
 * the reply carries the outcome, and a failure's message as the direct call's error names it.
 */
import * as fs from 'fs';
import type { JobReply, RunJob } from '../shared/channels/jobChannel';
import { renderComparisonHtml, renderReportHtml } from '../report/renderReport';
import { exportRunToNpy } from '../runStore/exportNpy';
import { messageOf } from '../runStore/runFolderError';

/** Does `job` and says how it went; never throws. */
export function runJob(job: RunJob): JobReply {
  try {
    switch (job.type) {
      case 'exportNpy':
        return { type: 'exported', summary: exportRunToNpy(job.runDir, job.outDir) };
      case 'report': {
        const html = job.runDirs.length > 1 ? renderComparisonHtml(job.runDirs) : renderReportHtml(job.runDirs[0]);
        fs.writeFileSync(job.outFile, html);
        return { type: 'reported', outFile: job.outFile, bytes: Buffer.byteLength(html) };
      }
    }
  } catch (error) {
    return { type: 'failed', message: messageOf(error) };
  }
}
