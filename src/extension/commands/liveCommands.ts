/** Commands on a live run: stop, pause, resume, reset states now, set the reset schedule. */
import * as vscode from 'vscode';
import { describeSchedule, type ResetSchedule } from '../../shared/config';
import type { TrainerCommand } from '../../shared/channels/trainerChannel';
import type { LiveRun } from '../run/runManager';
import { pickLiveRun, type CommandTarget, type PickedRun } from './pickers';
import type { Services } from './services';
import { stopSession } from './startTraining';

/** Why a reset makes no sense on a stateless LSTM, in the product's plain words. */
export const STATELESS_RESET_MESSAGE =
  'LSTM: this run is stateless — a stateless LSTM already starts every batch from zero states, so there is nothing to reset. ' +
  'Set "model.stateful": true to carry each row\'s state into the next batch; then resets matter.';

/** Stops a live run gracefully (it ends as stopped, every batch kept). */
export async function stopTraining(services: Services, target: CommandTarget): Promise<void> {
  const picked = await pickLiveRun(services.runs, target, 'Stop Training');
  // A session of this window is terminated if it does not stop in time; another writer only gets the command.
  if (picked?.run.session) {
    services.log.info(`stop sent to ${picked.run.session.runDir ?? picked.run.session.configPath}`);
    stopSession(picked.run.session);
  } else if (picked) deliver(services, picked, { type: 'stop' });
}

/** Pauses a live run before its next batch. */
export async function pauseTraining(services: Services, target: CommandTarget): Promise<void> {
  const picked = await pickLiveRun(services.runs, target, 'Pause Training');
  if (picked) deliver(services, picked, { type: 'pause' });
}

/** Resumes a paused run. */
export async function resumeTraining(services: Services, target: CommandTarget): Promise<void> {
  const picked = await pickLiveRun(services.runs, target, 'Resume Training');
  if (picked) deliver(services, picked, { type: 'resume' });
}

/** Zeroes the states before the next batch (stateful runs and recorded scripts; explains on stateless ones). */
export async function resetStatesNow(services: Services, target: CommandTarget): Promise<void> {
  const picked = await pickLiveRun(services.runs, target, 'Reset States Now');
  if (!picked || !requireResettable(picked.run)) return;
  if (!deliver(services, picked, { type: 'resetNow' })) return;
  vscode.window.setStatusBarMessage(
    '$(debug-restart) LSTM: states will be zeroed before the next batch (recorded as a manual reset)',
    4000,
  );
}

/** Changes when the states are zeroed, from the next batch on. */
export async function setResetSchedule(services: Services, target: CommandTarget): Promise<void> {
  const picked = await pickLiveRun(services.runs, target, 'Set Reset Schedule');
  if (!picked || !requireResettable(picked.run)) return;
  const schedule = await pickSchedule();
  if (!schedule) return;
  if (!deliver(services, picked, { type: 'setResetSchedule', schedule })) return;
  vscode.window.setStatusBarMessage(`LSTM: states now reset ${describeSchedule(schedule)}, from the next batch`, 4000);
}

/** Over the session's channel (IPC or control files), or into the folder's control file; says so when it cannot. */
function deliver(services: Services, { run, runDir }: PickedRun, command: TrainerCommand): boolean {
  const sent = run.session ? run.session.send(command, runDir) : services.runs.send(run.model.runDir, command);
  // The log's time says when the command left this window (the run's log, when it took effect).
  if (sent) services.log.info(`${command.type} sent to ${runDir ?? run.session?.runDir ?? run.model?.runDir}`);
  if (!sent)
    void vscode.window.showWarningMessage(
      `LSTM: the run did not take "${command.type}": it has ended, or its writer does not read that command (see the LSTM State Timeline log).`,
    );
  return sent;
}

/**
 * A reset needs a state to reset: a stateful trainer run, or a recorded script (it passes its own
 * state, so the recorder can zero it). Explains on a stateless run. Before the run folder exists
 * the mode is unknown: let the writer judge.
 */
function requireResettable({ session, model }: LiveRun): boolean {
  if (session ? !session.manifest || session.resettable : model.manifest.model.stateful !== false) return true;
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
