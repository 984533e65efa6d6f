// The validation part of `npm run demo`: trains the stateful example with validation in Keras's
// default mode ("shared") and prints the answer's clause on what validation does to the state.
// Also runs alone (after `npm run build`):  node scripts/demoValidation.mjs [--runs-dir DIR]
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { lastJson, runCli } from './demoOutput.mjs';

export const VALIDATION_CONFIG = 'examples/validation-shared.lstm.json';

/** Trains the example into `runsDir` (the config's own runs folder when not given) and prints one line. */
export async function demoValidation(runsDir) {
  console.log(`training ${VALIDATION_CONFIG} …`);
  const args = ['train', VALIDATION_CONFIG, '--json', ...(runsDir ? ['--runs-dir', runsDir] : [])];
  const result = lastJson(await runCli(args, { quiet: true }));
  // The answer's clause on validation, e.g. "validation (15 batches) starts from the state training left, and …".
  const clause = result.answer.split('; ').find((part) => part.startsWith('validation ('));
  console.log(
    `\nWith validation (${VALIDATION_CONFIG}, Keras's default "shared"): ${clause}. ` +
      'See validation-isolated and validation-reset for the other modes.',
  );
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { 'runs-dir': { type: 'string' } } });
  await demoValidation(values['runs-dir']);
}
