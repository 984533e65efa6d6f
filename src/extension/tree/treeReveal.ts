/** Selects in the Runs tree the batch selected in a panel: reveals run one after another and only the newest is done, so quick steps in the panel never leave an older batch selected. */
import type * as vscode from 'vscode';
import type { RunsTreeProvider } from './runsTreeProvider';
import type { RunsTreeNode } from './treeNodes';

export class TreeReveal {
  private revealing: Promise<void> = Promise.resolve();
  private newest = 0;

  constructor(
    private readonly tree: RunsTreeProvider,
    private readonly view: vscode.TreeView<RunsTreeNode>,
    private readonly log: { warn(message: string): void },
  ) {}

  /** Selects batch `step` of the run in the tree, if the tree is on screen; never steals focus. */
  batch(runDir: string, step: number): Promise<void> {
    const ticket = ++this.newest;
    this.revealing = this.revealing
      .then(async () => {
        if (ticket !== this.newest || !this.view.visible) return;
        const node = await this.tree.batchNode(runDir, step);
        if (node) await this.tree.withoutRefreshes(() => this.view.reveal(node, { select: true, focus: false }));
      })
      .catch((error: unknown) =>
        this.log.warn(
          `could not reveal batch ${step} in the Runs tree: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    return this.revealing;
  }
}
