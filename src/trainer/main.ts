/**
 * Entry of the trainer child process (`child_process.fork('dist/trainer.js', [config, ...flags])`).
 * Events go to the parent over IPC; commands come back the same way. A crash here never
 * reaches the editor. SIGTERM ends the process at once: the run then reads as interrupted.
 */
import { parseArgs } from 'util';
import { isTrainerCommand, type TrainerEvent } from '../shared/protocol';
import { TRAINER_ARGS, trainRequestOf } from '../shared/trainerArgs';
import { TrainingControls } from './controls';
import { train } from './train';

function send(event: TrainerEvent): void {
  if (process.send) process.send(event);
  else process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  const request = trainRequestOf(parseArgs({ args: process.argv.slice(2), ...TRAINER_ARGS }));
  const controls = new TrainingControls(send);
  process.on('message', (message: unknown) => {
    if (isTrainerCommand(message)) controls.submit(message);
  });
  // If the editor goes away mid-run, end at once (the run then reads as interrupted).
  const editorGone = () => process.exit(2);
  process.on('disconnect', editorGone);
  const result = await train(request, send, controls);
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
