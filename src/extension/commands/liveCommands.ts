/** Commands on a live run: stop, pause, resume, reset states now, set the reset schedule. */
import * as vscode from 'vscode';
import { describeSchedule, type ResetSchedule } from '../../shared/config';
import type { RunSession } from '../run/runSession';
import { pickLiveSession, type CommandTarget } from './pickers';
import type { Services } from './services';
import { stopSession } from './startTraining';

/** Why a reset makes no sense on a stateless LSTM, in the product's plain words. */
export const STATELESS_RESET_MESSAGE =
  'LSTM: this run is stateless — a stateless LSTM already starts every batch from zero states, so there is nothing to reset. ' +
  'Set "model.stateful": true to carry each row\'s state into the next batch; then resets matter.';

/** Stops a live run gracefully (it ends as stopped, every batch kept). */
export async function stopTraining(services: Services, target: CommandTarget): Promise<void> {
  const session = await pickLiveSession(services.runs, target, 'Stop Training');
  if (session) stopSession(session);
}

/** Pauses a live run before its next batch. */
export async function pauseTraining(services: Services, target: CommandTarget): Promise<void> {
  (await pickLiveSession(services.runs, target, 'Pause Training'))?.send({ type: 'pause' });
}

/** Resumes a paused run. */
export async function resumeTraining(services: Services, target: CommandTarget): Promise<void> {
  (await pickLiveSession(services.runs, target, 'Resume Training'))?.send({ type: 'resume' });
}

/** Zeroes the states before the next batch (stateful runs; explains on stateless ones). */
export async function resetStatesNow(services: Services, target: CommandTarget): Promise<void> {
  const session = await pickLiveSession(services.runs, target, 'Reset States Now');
  if (!session || !requireStateful(session)) return;
  session.send({ type: 'resetNow' });
  vscode.window.setStatusBarMessage(
    '$(debug-restart) LSTM: states will be zeroed before the next batch (recorded as a manual reset)',
    4000,
  );
}

/** Changes when the states are zeroed, from the next batch on. */
export async function setResetSchedule(services: Services, target: CommandTarget): Promise<void> {
  const session = await pickLiveSession(services.runs, target, 'Set Reset Schedule');
  if (!session || !requireStateful(session)) return;
  const schedule = await pickSchedule();
  if (!schedule) return;
  session.send({ type: 'setResetSchedule', schedule });
  vscode.window.setStatusBarMessage(`LSTM: states now reset ${describeSchedule(schedule)}, from the next batch`, 4000);
}

/** A reset needs a stateful run; explains otherwise. Before `started` the mode is unknown: let the trainer judge. */
function requireStateful(session: RunSession): boolean {
  if (!session.manifest || session.stateful) return true;
  void vscode.window.showInformationMessage(STATELESS_RESET_MESSAGE);
  return false;
}

async function pickSchedule(): Promise<ResetSchedule | undefined> {
  const items: Array<vscode.QuickPickItem & { schedule?: ResetSchedule }> = [
    {
      label: 'Never',
      description: "Keras's own behaviour: state carries across batches and epochs",
      schedule: 'never',
    },
    { label: 'At every epoch end', description: 'what a reset_states() callback at epoch end does', schedule: 'epoch' },
    { label: 'Every N batches…', description: 'counted across epochs' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Set Reset Schedule',
    placeHolder: 'When should the states be zeroed?',
  });
  if (!picked) return undefined;
  if (picked.schedule) return picked.schedule;
  const value = await vscode.window.showInputBox({
    title: 'Reset every N batches',
    prompt: 'Zero the states before every Nth batch of the run',
    value: '10',
    validateInput: (text) => (/^[1-9]\d*$/.test(text.trim()) ? undefined : 'A whole number of batches, at least 1'),
  });
  return value ? { everyBatches: Number(value.trim()) } : undefined;
}
