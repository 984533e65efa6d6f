/** Registers every `lstmState.*` command (ids and titles are contributed in package.json). */
import * as vscode from 'vscode';
import type { PanelAction } from '../../shared/channels/webviewChannel';
import { copyValues, exportBatch, revealBatch } from './batchCommands';
import { filterRunBatches } from './filterCommand';
import { compareRuns, exportReport } from './compareCommands';
import { pauseTraining, resetStatesNow, resumeTraining, setResetSchedule, stopTraining } from './liveCommands';
import { newTrainingConfig } from './newConfig';
import type { CommandTarget } from './pickers';
import { exportRun, openSavedRun, openTimeline } from './runCommands';
import type { Services } from './services';
import { startTraining } from './startTraining';

/** Command id → handler; the argument is whatever the caller passes (tree node, URI, run folder). */
export function commandHandlers(
  services: Services,
): Record<string, (target?: CommandTarget, selection?: unknown) => unknown> {
  return {
    'lstmState.startTraining': (target) => startTraining(services, target),
    'lstmState.stopTraining': (target) => stopTraining(services, target),
    'lstmState.pauseTraining': (target) => pauseTraining(services, target),
    'lstmState.resumeTraining': (target) => resumeTraining(services, target),
    'lstmState.resetStatesNow': (target) => resetStatesNow(services, target),
    'lstmState.setResetSchedule': (target) => setResetSchedule(services, target),
    'lstmState.openTimeline': (target) => openTimeline(services, target),
    'lstmState.openSavedRun': () => openSavedRun(services),
    'lstmState.exportRun': (target) => exportRun(services, target),
    'lstmState.newConfig': () => newTrainingConfig(services.context.extensionPath),
    'lstmState.revealBatch': (target) => revealBatch(services, target),
    'lstmState.exportBatch': (target) => exportBatch(services, target),
    'lstmState.copyValues': (target) => copyValues(services, target),
    'lstmState.filterRun': (target) => filterRunBatches(services, target),
    'lstmState.compareRuns': (target, selection) => compareRuns(services, target, selection),
    'lstmState.exportReport': (target, selection) => exportReport(services, target, selection),
    // Not contributed (no palette entry): the status bar and error messages use it.
    'lstmState.showLog': () => services.log.show(true),
  };
}

/** Registers the handlers; the returned disposables unregister them. */
export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(commandHandlers(services)).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}

/** A panel toolbar button: the same handler as the palette command, aimed at the panel's run. */
export function panelActionHandler(services: Services): (runDir: string, action: PanelAction) => void {
  const handlers = commandHandlers(services);
  const commands: Record<PanelAction, string> = {
    resetNow: 'lstmState.resetStatesNow',
    pause: 'lstmState.pauseTraining',
    resume: 'lstmState.resumeTraining',
    stop: 'lstmState.stopTraining',
    export: 'lstmState.exportRun',
  };
  return (runDir, action) => void handlers[commands[action]](runDir);
}
