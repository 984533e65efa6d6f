/**
 * Entry of the trainer child process (`child_process.fork('dist/trainer.js', [config, ...flags])`).
 * Commands come from the editor over IPC; the editor learns the run folder, lint warnings,
 * notices and early failures over the same channel and reads everything else from the folder.
 * A crash here never reaches the editor. SIGTERM ends the process at once: the run then reads
 * as interrupted.
 */
import { parseArgs } from 'util';
import { TRAINER_PROTOCOL_VERSION, isTrainerCommand, type TrainerMessage } from '../shared/channels/trainerChannel';
import { TRAINER_ARGS, trainRequestOf } from '../shared/trainerArgs';
import { TrainingControls } from './controls';
import type { TrainerProgress } from './progress';
import { train } from './train';

function send(message: TrainerMessage): void {
  if (process.send) process.send(message);
  else process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** The part of the training's progress the editor needs before (or instead of) the run folder. */
function forward(event: TrainerProgress): void {
  switch (event.type) {
    case 'started':
      return send({ type: 'started', protocolVersion: TRAINER_PROTOCOL_VERSION, runDir: event.runDir });
    case 'warning':
    case 'notice':
    case 'failed':
      return send(event);
    default:
      return; // in the run folder
  }
}

async function main(): Promise<void> {
  const request = trainRequestOf(parseArgs({ args: process.argv.slice(2), ...TRAINER_ARGS }));
  const controls = new TrainingControls(forward);
  process.on('message', (message: unknown) => {
    if (isTrainerCommand(message)) controls.submit(message);
  });
  // If the editor goes away mid-run, end at once (the run then reads as interrupted).
  const editorGone = () => process.exit(2);
  process.on('disconnect', editorGone);
  const result = await train(request, forward, controls);
  console.log(result.type === 'finished' ? `run ${result.status}: ${result.runDir}` : `run failed: ${result.message}`);
  process.exitCode = result.type === 'finished' ? 0 : 1;
  // Our own disconnect below fires the same event: it must not turn this exit code into 2.
  process.off('disconnect', editorGone);
  process.disconnect?.();
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
});
