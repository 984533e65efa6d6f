/** `lstm-state-timeline` command line: train, export, report. */
import { runExport } from './exportCommand';
import { runReport } from './reportCommand';
import { runTrain } from './trainCommand';

const USAGE = `usage:
  lstm-state-timeline train <config.lstm.json> [--out DIR] [--json] [--backend auto|native|wasm|cpu] [--workspace DIR]
      while it runs, type on stdin: reset | pause | resume | stop | schedule never|epoch|<N>
  lstm-state-timeline export <runDir> --npy DIR
  lstm-state-timeline report <runDir> -o report.html`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'train': return runTrain(rest);
    case 'export': return runExport(rest);
    case 'report': return runReport(rest);
    case '--help': case '-h': case undefined:
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
    process.exitCode = 1;
  },
);
