/** `train <config>`: trains in this process, prints progress, lint warnings and the plain answer. */
import * as readline from 'readline';
import { CAUSES, shownCauses, type CauseCounts } from '../shared/causes';
import { COMMAND_WORDS, parseCommandLine } from '../shared/channels/trainerChannel';
import type { RunManifest } from '../shared/runFormat';
import { showNumber } from '../shared/showNumber';
import { TRAINER_OPTIONS, trainRequestOf } from '../shared/trainerArgs';
import { TrainingControls } from '../trainer/controls';
import type { TrainerProgress } from '../trainer/progress';
import { train } from '../trainer/train';
import { parseCommandArgs } from './commandArgs';

export const TRAIN_USAGE = `lstm-state-timeline train <config.lstm.json> [--runs-dir DIR] [--json] [--backend auto|native|wasm|cpu]
      [--workspace DIR] [--tensor-budget BYTES]
      while it runs, type on stdin: reset | pause | resume | stop | schedule never|epoch|<N>`;

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
        if (manifest)
          progress.update(
            `epoch ${event.record.epoch + 1}/${manifest.epochs} batch ${event.record.batch + 1}/${manifest.batchesPerEpoch} loss ${showNumber(event.record.loss, (v) => v.toFixed(5))} (${event.record.cause})`,
          );
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
          `epoch ${event.epoch + 1}/${manifest?.epochs ?? '?'}  mean loss ${event.meanLoss.toFixed(5)}  initial states so far: ${formatCounts(event.resets)}  (${((Date.now() - epochStarted) / 1000).toFixed(1)} s)`,
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
  const result = await train(request, onEvent, controls);
  input.close();
  process.stdin.unref?.();
  progress.done();
  if (result.type === 'failed') {
    console.error(`error: ${result.message}`);
    return 1;
  }
  out.write(
    `\n${result.answer}\nresets by cause: ${formatCounts(result.resets)}\nrun ${result.status}; saved in ${result.runDir}\n`,
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
        answer: result.answer,
        runDir: result.runDir,
      })}\n`,
    );
  }
  return 0;
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
