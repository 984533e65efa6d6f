/** "Filter Batches…": which batches the Runs tree shows under a run — all, the resets, or one cause. */
import * as path from 'path';
import * as vscode from 'vscode';
import { CAUSE_LABELS, CAUSES, RESET_CAUSES, resetCount } from '../../shared/causes';
import { describeFilter, type BatchFilter } from '../tree/batchFilter';
import { pickRunDir, type CommandTarget } from './pickers';
import type { Services } from './services';

/** Asks which batches to show under the run (with how many there are of each) and applies it. */
export async function filterRunBatches(services: Services, target: CommandTarget): Promise<void> {
  const runDir = await pickRunDir(target, () => services.folders.listRunDirs(), 'Filter Batches');
  if (!runDir) return;
  const model = await services.repository.open(runDir);
  const current = services.tree.filterOf(runDir);
  const mark = (filter: BatchFilter | undefined) =>
    JSON.stringify(filter) === JSON.stringify(current) ? '$(check) ' : '';
  type Item = vscode.QuickPickItem & { filter: BatchFilter | undefined };
  const items: Item[] = [
    { label: `${mark(undefined)}All batches`, description: `${model.batches.length}`, filter: undefined },
    {
      label: `${mark({ kind: 'resets' })}Resets only`,
      description: `${resetCount(model.counts)} batches started from zeros (${RESET_CAUSES.filter((c) => model.counts[c]).join(', ') || 'none'})`,
      filter: { kind: 'resets' },
    },
    ...CAUSES.filter((cause) => model.counts[cause] > 0).map((cause) => ({
      label: `${mark({ kind: 'cause', cause })}Only ${CAUSE_LABELS[cause]}`,
      description: `${model.counts[cause]}`,
      filter: { kind: 'cause', cause } as BatchFilter,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Filter Batches of ${path.basename(runDir)}`,
    placeHolder: 'Which batches should the Runs tree show under this run?',
  });
  if (!picked) return;
  await services.tree.setFilter(runDir, picked.filter);
  vscode.window.setStatusBarMessage(
    `LSTM: ${model.manifest.name} shows ${picked.filter ? describeFilter(picked.filter) : 'all batches'}`,
    4000,
  );
}
