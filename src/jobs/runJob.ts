/**
 * One run job, done synchronously on the calling thread: the NumPy export or the HTML report the
 * editor asks for. The editor never calls this itself — it runs in the job worker (jobWorker.ts);
 * the reply carries the outcome, and a failure's message as the direct call's error names it.
 */
import * as fs from 'fs';
import { partialPath, type JobReply, type RunJob } from '../shared/channels/jobChannel';
import { renderComparisonHtml, renderReportHtml } from '../report/renderReport';
import { exportRunToNpy } from '../runStore/exportNpy';
import { messageOf } from '../runStore/runFolderError';

/** Does `job` and says how it went; never throws. */
export function runJob(job: RunJob): JobReply {
  try {
    switch (job.type) {
      case 'exportNpy': {
        const partial = partialPath(job.outDir);
        fs.rmSync(partial, { recursive: true, force: true });
        const summary = exportRunToNpy(job.runDir, partial);
        fs.rmSync(job.outDir, { recursive: true, force: true });
        fs.renameSync(partial, job.outDir);
        return { type: 'exported', summary: { ...summary, outDir: job.outDir } };
      }
      case 'report': {
        const html = job.runDirs.length > 1 ? renderComparisonHtml(job.runDirs) : renderReportHtml(job.runDirs[0]);
        const partial = partialPath(job.outFile);
        try {
          fs.writeFileSync(partial, html);
          fs.renameSync(partial, job.outFile);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          throw new Error(
            `cannot write ${job.outFile}: ${code === 'ENOENT' ? 'its folder does not exist' : (error as Error).message}`,
          );
        }
        return { type: 'reported', outFile: job.outFile, bytes: Buffer.byteLength(html) };
      }
    }
  } catch (error) {
    fs.rmSync(partialPath(job.type === 'exportNpy' ? job.outDir : job.outFile), { recursive: true, force: true });
    return { type: 'failed', message: messageOf(error) };
  }
}
