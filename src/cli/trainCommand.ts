/** `train <config>`: trains in this process, prints progress, lint warnings and the plain answer. */
import * as readline from 'readline';
import { CAUSES, shownCauses, type CauseCounts } from '../shared/causes';
import { COMMAND_WORDS, parseCommandLine } from '../shared/channels/trainerChannel';
import type { BatchRecord, RunManifest } from '../shared/runFormat';
import { showNumber } from '../shared/showNumber';
import { TRAINER_OPTIONS, trainRequestOf } from '../shared/trainerArgs';
import { TrainingControls } from '../trainer/controls';
import type { TrainerProgress } from '../trainer/progress';
import { train } from '../trainer/train';
import { parseCommandArgs } from './commandArgs';

export const TRAIN_USAGE = `lstm-state-timeline train <config.lstm.json> [--runs-dir DIR] [--json] [--backend auto|native|wasm|cpu]
      [--workspace DIR] [--tensor-budget BYTES]
      while it runs, type on stdin: reset | pause | resume | stop | schedule never|epoch|<N>
      exit status: 0 finished (or stopped by "stop"), 1 failed, 2 usage error, 3 input ended while paused`;

/** Exit status when stdin ends while the run is paused: no "resume" can come, so the run was stopped. */
export const EXIT_INPUT_ENDED_WHILE_PAUSED = 3;

const ENDED_WHILE_PAUSED = 'standard input ended while the run was paused, so no "resume" could come';

/** The trainer's own options (the editor passes the same ones) plus `--json`. */
const SPEC = {
  name: 'train',
  usage: TRAIN_USAGE,
  options: { ...TRAINER_OPTIONS, json: { type: 'boolean' } },
  renamed: { out: '--runs-dir DIR (the folder run folders are created in)' },
  operands: { count: 1, what: 'config file' },
} as const;

/** "auto 5, manual 1" — only the causes that occurred. */
export function formatCounts(counts: CauseCounts): string {
  const parts = CAUSES.filter((cause) => counts[cause] > 0).map((cause) => `${cause} ${counts[cause]}`);
  return parts.length ? parts.join(', ') : 'none';
}

export async function runTrain(args: string[]): Promise<number> {
  const { values, operands, help } = parseCommandArgs(args, SPEC);
  if (help) {
    console.log(`usage: ${TRAIN_USAGE}`);
    return 0;
  }
  const { json = false, ...trainerValues } = values;
  const request = trainRequestOf({ values: trainerValues, positionals: operands });
  const out = json ? process.stderr : process.stdout;
  let manifest: RunManifest | undefined;
  let epochStarted = Date.now();
  const progress = new ProgressLine(out);
  const onEvent = (event: TrainerProgress) => {
    switch (event.type) {
      case 'warning':
        out.write(`warning ${event.code} [${event.field}]: ${event.message}\n`);
        break;
      case 'notice':
        out.write(`note: ${event.message}\n`);
        break;
      case 'started':
        manifest = event.manifest;
        out.write(
          `training ${manifest.name} on ${manifest.backend}: X (${manifest.data.samples}, ${manifest.data.timesteps}, ${manifest.data.features}), batch size ${manifest.batchSize}, ${manifest.batchesPerEpoch} batches per epoch, ${manifest.model.stateful ? 'stateful' : 'stateless'}\n`,
        );
        break;
      case 'batch':
        if (manifest) progress.update(batchLine(event.record, manifest));
        break;
      case 'reset':
        progress.note(`reset (${event.cause}) before batch ${event.batch + 1} of epoch ${event.epoch + 1}`);
        break;
      case 'state':
        progress.note(event.status === 'paused' ? 'paused (type "resume")' : 'resumed');
        break;
      case 'schedule':
        progress.note(`reset schedule is now ${JSON.stringify(event.schedule)} from batch step ${event.fromStep}`);
        break;
      case 'epochEnd':
        progress.note(
          `epoch ${event.epoch + 1}/${manifest?.epochs ?? '?'}  mean loss ${event.meanLoss.toFixed(5)}` +
            (event.validation
              ? `  validation loss ${event.validation.meanLoss.toFixed(5)} (${event.validation.batches} batch${event.validation.batches === 1 ? '' : 'es'})`
              : '') +
            `  initial states so far: ${formatCounts(event.resets)}  (${((Date.now() - epochStarted) / 1000).toFixed(1)} s)`,
        );
        epochStarted = Date.now();
        break;
      case 'finished':
      case 'failed':
        break;
    }
  };
  const controls = new TrainingControls(onEvent);
  const input = readline.createInterface({ input: process.stdin, terminal: false });
  input.on('line', (line) => {
    const command = parseCommandLine(line);
    if (command) controls.submit(command);
    else if (line.trim()) out.write(`unknown command "${line.trim()}": use ${COMMAND_WORDS}\n`);
  });
  // Paused with no more input: nothing can resume the run, so it stops rather than wait forever.
  let endedWhilePaused = false;
  const onInputEnd = () => {
    if (!controls.isPaused) return;
    endedWhilePaused = true;
    progress.note(`${ENDED_WHILE_PAUSED}: stopping the run`);
    controls.stop(ENDED_WHILE_PAUSED);
  };
  input.on('close', onInputEnd);
  const result = await train(request, onEvent, controls);
  input.off('close', onInputEnd);
  input.close();
  process.stdin.unref?.();
  progress.done();
  if (result.type === 'failed') {
    console.error(`error: ${result.message}`);
    // A run that had started is a run folder a script may want to look at.
    if (json && result.runDir) {
      const { message, runDir, batches } = result;
      process.stdout.write(`${JSON.stringify({ status: 'failed', message, batches, runDir })}\n`);
    }
    return 1;
  }
  const { phases } = result;
  const byPhase =
    phases.validate + phases.predict > 0
      ? `batches by phase: train ${phases.train}, validate ${phases.validate}, predict ${phases.predict}\n`
      : '';
  out.write(
    `\n${result.answer}\nresets by cause: ${formatCounts(result.resets)}\n${byPhase}run ${result.status}; saved in ${result.runDir}\n`,
  );
  if (json && manifest) {
    process.stdout.write(
      `${JSON.stringify({
        backend: manifest.backend,
        status: result.status,
        epochs: manifest.epochs,
        batchesPerEpoch: manifest.batchesPerEpoch,
        // The trainer's six causes always, any other only when it occurred: a stable shape for scripts.
        batches: result.batches,
        resets: Object.fromEntries(shownCauses(result.resets).map((c) => [c, result.resets[c]])),
        phases: result.phases,
        dataContinues: result.dataContinues,
        answer: result.answer,
        runDir: result.runDir,
        ...(result.message ? { message: result.message } : {}),
      })}\n`,
    );
  }
  if (endedWhilePaused) {
    console.error(`stopped: ${ENDED_WHILE_PAUSED}. The run ends as "stopped"; send "resume" before closing the input.`);
    return EXIT_INPUT_ENDED_WHILE_PAUSED;
  }
  return 0;
}

/** "epoch 2/15 batch 3/5 loss 0.01234 (carried)", validation and prediction named. */
function batchLine(record: BatchRecord, manifest: RunManifest): string {
  const of =
    record.phase === 'validate'
      ? (manifest.validation?.batchesPerEpoch ?? '?')
      : record.phase === 'predict'
        ? (manifest.predict?.batches ?? '?')
        : manifest.batchesPerEpoch;
  const what =
    record.phase === 'train' ? 'batch' : `${record.phase === 'validate' ? 'validation' : 'prediction'} batch`;
  return `epoch ${record.epoch + 1}/${manifest.epochs} ${what} ${record.batch + 1}/${of} loss ${showNumber(record.loss, (v) => v.toFixed(5))} (${record.cause})`;
}

/** One line rewritten in place on a terminal; nothing but notes elsewhere (logs stay short). */
class ProgressLine {
  private last = '';
  constructor(private readonly out: NodeJS.WriteStream) {}

  update(text: string): void {
    if (!this.out.isTTY) return;
    this.out.write(`\r${text.padEnd(this.last.length)}`);
    this.last = text;
  }

  note(text: string): void {
    this.done();
    this.out.write(`${text}\n`);
  }

  done(): void {
    if (this.last) this.out.write(`\r${' '.repeat(this.last.length)}\r`);
    this.last = '';
  }
}
