/** `lstm-state-timeline` command line: train, record, export, report. */
import { UsageError } from './commandArgs';
import { EXPORT_USAGE, runExport } from './exportCommand';
import { RECORD_USAGE, runRecord } from './recordCommand';
import { REPORT_USAGE, runReport } from './reportCommand';
import { runTrain, TRAIN_USAGE } from './trainCommand';

const USAGE = `usage:\n${[TRAIN_USAGE, RECORD_USAGE, EXPORT_USAGE, REPORT_USAGE].map((line) => `  ${line}`).join('\n')}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'train':
      return runTrain(rest);
    case 'record':
      return runRecord(rest);
    case 'export':
      return runExport(rest);
    case 'report':
      return runReport(rest);
    case '--help':
    case '-h':
    case undefined:
      console.log(USAGE);
      return command ? 0 : 2;
    default:
      console.error(`unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    // A mistake in the command line (exit 2) shows how the command is called.
    if (error instanceof UsageError) console.error(`usage: ${error.usage}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
