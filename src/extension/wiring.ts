/** Glue between the timeline panels and the rest: toolbar actions and batch selection synced to the tree. */
import type { PanelAction } from '../shared/protocol';
import { pauseTraining, resetStatesNow, resumeTraining, stopTraining } from './commands/liveCommands';
import { exportRun } from './commands/runCommands';
import type { Services } from './commands/services';

/** A panel toolbar button: the same handler as the palette command, aimed at the panel's run. */
export function panelAction(services: Services, runDir: string, action: PanelAction): void {
  switch (action) {
    case 'resetNow': void resetStatesNow(services, runDir); break;
    case 'pause': void pauseTraining(services, runDir); break;
    case 'resume': void resumeTraining(services, runDir); break;
    case 'stop': void stopTraining(services, runDir); break;
    case 'export': void exportRun(services, runDir); break;
  }
}

/** Reveals run one after another and only the newest selection is revealed: quick steps in the panel must not leave an older batch selected. */
let revealing: Promise<void> = Promise.resolve();
let newest = 0;

/** Selection sync between the panels and the Runs tree. */
export const syncSelection = {
  /** A batch selected in a panel is selected in the tree too (if the tree is on screen; never stealing focus). */
  async fromPanel(services: Services, runDir: string, step: number): Promise<void> {
    const ticket = ++newest;
    revealing = revealing.then(async () => {
      if (ticket !== newest || !services.treeView.visible) return;
      const node = await services.tree.batchNode(runDir, step);
      if (node) await services.tree.withoutRefreshes(() => services.treeView.reveal(node, { select: true, focus: false }));
    }).catch((error: unknown) => services.log.warn(`could not reveal batch ${step} in the Runs tree: ${error instanceof Error ? error.message : String(error)}`));
    return revealing;
  },
};
