/** TreeItems of the Runs tree: labels, descriptions, codicons and tooltips (numbers shown 1-based, as the CLI does). */
import * as vscode from 'vscode';
import { CAUSE_LABELS, CAUSES, type CauseCounts, type InitialStateCause } from '../../shared/causes';
import type { BatchFlag, BatchRecord, Phase, RunStatus } from '../../shared/runFormat';
import { resetCount } from '../../shared/causes';
import { showNumber } from '../../shared/showNumber';
import { escapeMarkdown } from '../ui/markdown';
import { describeFilter, type BatchFilter } from './batchFilter';
import type { BatchGroup, RunModel } from '../runs/runModel';
import type { BatchNode } from './treeNodes';

const STATUS_ICONS: Record<RunStatus, [string, string?]> = {
  running: ['sync~spin'],
  paused: ['debug-pause', 'charts.yellow'],
  finished: ['pass', 'testing.iconPassed'],
  stopped: ['debug-stop'],
  failed: ['error', 'testing.iconFailed'],
  interrupted: ['warning', 'list.warningForeground'],
};

const CAUSE_ICONS: Record<InitialStateCause, [string, string]> = {
  auto: ['circle-large-outline', 'charts.blue'],
  first: ['debug-start', 'charts.blue'],
  epoch: ['refresh', 'charts.orange'],
  schedule: ['history', 'charts.purple'],
  manual: ['debug-restart', 'charts.red'],
  phase: ['debug-step-into', 'charts.orange'],
  zeros: ['circle-slash', 'charts.blue'],
  carried: ['arrow-right', 'charts.green'],
  restored: ['debug-step-back', 'charts.green'],
  permuted: ['arrow-swap', 'charts.yellow'],
  partial: ['arrow-small-right', 'charts.yellow'],
  other: ['question', 'charts.foreground'],
  unreadable: ['warning', 'list.errorForeground'],
};

const icon = ([id, color]: [string, string?]) =>
  new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
/** A number as the tree shows it: NaN and ±Infinity as what they are, an unknown one as a dash. */
const fmt = (n: number | null) =>
  showNumber(n, (v) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2)));

/** Codicon of a run status. */
export function statusIcon(status: RunStatus): vscode.ThemeIcon {
  return icon(STATUS_ICONS[status]);
}

/** Codicon of a batch's initial-state cause (zeros of each kind, or carried). */
export function causeIcon(cause: InitialStateCause): vscode.ThemeIcon {
  return icon(CAUSE_ICONS[cause]);
}

/** A run: name, status, when; a live run has the live context menu (stop, reset). */
export function runItem(
  id: string,
  model: RunModel,
  answer: string | undefined,
  filter?: BatchFilter,
): vscode.TreeItem {
  const { manifest, status } = model;
  const item = new vscode.TreeItem(manifest.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  item.iconPath = statusIcon(status);
  const kind =
    manifest.model.stateful === null
      ? `recorded ${manifest.backend}`
      : manifest.model.stateful
        ? 'stateful'
        : 'stateless';
  const shown = filter ? ` · showing ${describeFilter(filter)}` : '';
  item.description = `${status} · ${kind} · ${new Date(manifest.createdAt).toLocaleString()}${shown}`;
  item.contextValue = model.live ? 'run.live' : 'run.saved';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMarkdown(manifest.name)}** — ${status}\n\n`);
  if (answer) tooltip.appendMarkdown(`${escapeMarkdown(answer)}\n\n`);
  if (model.message) tooltip.appendMarkdown(`${escapeMarkdown(model.message)}\n\n`);
  tooltip.appendMarkdown(
    `batch size ${manifest.batchSize} · ${manifest.batchesPerEpoch} batches per epoch · ${manifest.epochs} epochs · backend ${manifest.backend}\n\n`,
  );
  tooltip.appendMarkdown(`config: \`${manifest.configPath}\`  \nfolder: \`${model.runDir}\``);
  item.tooltip = tooltip;
  return item;
}

/** What a phase's batches are called in the tree. */
export const PHASE_NAMES: Record<Phase, string> = {
  train: 'Training',
  validate: 'Validation',
  predict: 'Prediction',
  eval: 'Evaluation',
};

/** An epoch: its training's mean loss and resets (and its validation's loss, when it validates). */
export function epochItem(id: string, model: RunModel, epoch: number): vscode.TreeItem {
  const item = new vscode.TreeItem(`Epoch ${epoch + 1}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  item.contextValue = 'epoch';
  const train = model.epochs[epoch];
  const validation = model.group(epoch, 'validate');
  item.iconPath = new vscode.ThemeIcon(train?.meanLoss === undefined && model.live ? 'loading~spin' : 'layers');
  if (!train) return item;
  const resets = resetCount(train.counts);
  const val = validation ? ` · val ${fmt(model.meanLoss(validation))}` : '';
  item.description = `loss ${fmt(model.meanLoss(train))}${val} · ${resets} reset${resets === 1 ? '' : 's'}`;
  const others = model
    .phasesOf(epoch)
    .map(
      (group) => `${PHASE_NAMES[group.phase]}: ${group.steps.length} batches, mean loss ${fmt(model.meanLoss(group))}`,
    );
  item.tooltip = new vscode.MarkdownString(
    `**Epoch ${epoch + 1}** — ${train.steps.length} training batches, mean loss ${fmt(model.meanLoss(train))}${train.meanLoss === undefined ? ' (so far)' : ''}\n\n${countsTable(train.counts)}${others.length ? `\n\n${others.join('  \n')}` : ''}`,
  );
  return item;
}

/** The batches of another phase of an epoch (validation, prediction, evaluation): count, mean loss, how they started. */
export function phaseItem(id: string, model: RunModel, group: BatchGroup | undefined): vscode.TreeItem {
  if (!group) return new vscode.TreeItem('(no batches)');
  const name = PHASE_NAMES[group.phase];
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  item.contextValue = `phase.${group.phase}`;
  item.iconPath = new vscode.ThemeIcon(group.phase === 'predict' ? 'symbol-event' : 'beaker');
  const resets = resetCount(group.counts);
  item.description = `${group.steps.length} batches · loss ${fmt(model.meanLoss(group))} · ${resets} reset${resets === 1 ? '' : 's'}`;
  item.tooltip = new vscode.MarkdownString(
    `**${name}** of epoch ${group.epoch + 1} — ${group.steps.length} batches\n\n${countsTable(group.counts)}`,
  );
  return item;
}

/** A range of batches of a large epoch: batch indices [start, end), of which `shown` are listed (fewer under a filter). */
export function rangeItem(id: string, start: number, end: number, shown = end - start): vscode.TreeItem {
  const item = new vscode.TreeItem(`Batches ${start + 1}–${end}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  item.iconPath = new vscode.ThemeIcon('list-flat');
  item.description = `${shown} batches`;
  item.contextValue = 'range';
  return item;
}

/**
 * A batch; clicking it (not merely moving the selection onto it) reveals it in the timeline.
 * `tooltipWhen: 'later'` leaves the tooltip out (the record is a summary without its row sources; the
 * tree makes the tooltip from the full record when the item is hovered).
 */
export function batchItem(
  node: BatchNode,
  model: RunModel,
  record: BatchRecord,
  tooltipWhen: 'now' | 'later' = 'now',
): vscode.TreeItem {
  const item = new vscode.TreeItem(`Batch ${record.batch + 1}`, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.command = { command: 'lstmState.revealBatch', title: 'Reveal Batch', arguments: [node] };
  item.iconPath = causeIcon(record.cause);
  const warning = record.flags.length ? ` · ⚠ ${record.flags.join(', ')}` : '';
  item.description = `${causeDescription(model, record)} · loss ${fmt(record.loss)}${warning}`;
  // An unreadable batch has nothing to export or copy: its context offers only Reveal Batch.
  const captured = model.batches.captured(record.step);
  item.contextValue = record.unreadable ? 'batch.unreadable' : captured ? 'batch.captured' : 'batch.normsOnly';
  if (tooltipWhen === 'later') return item;
  const tooltip = new vscode.MarkdownString();
  const phase = record.phase === 'train' ? '' : `${PHASE_NAMES[record.phase].toLowerCase()} `;
  tooltip.appendMarkdown(
    `**${phase ? `${PHASE_NAMES[record.phase]} batch` : 'Batch'} ${record.batch + 1} of epoch ${record.epoch + 1}** (step ${record.step})\n\n`,
  );
  if (record.unreadable) tooltip.appendMarkdown(`${escapeMarkdown(record.unreadable)}\n\n`);
  tooltip.appendMarkdown(
    `loss: ${fmt(record.loss)}  \ninitial state: ${escapeMarkdown(causeDescription(model, record))}`,
  );
  // The state is carried either way; "continues" only where row i's data goes on too (else the next line says it does not).
  if (record.carriedFrom !== null && record.rowSources === null)
    tooltip.appendMarkdown(
      record.dataContinues === false
        ? ` — row i's state comes from row i of step ${record.carriedFrom}`
        : ` — row i continues row i of step ${record.carriedFrom}`,
    );
  if (record.rowSources) {
    const pairs = record.rowSources.map((source, row) => `${row}←${source ?? '·'}`);
    tooltip.appendMarkdown(
      `  \nrow ← row of step ${record.carriedFrom}: ${pairs.slice(0, 12).join(', ')}${pairs.length > 12 ? ', …' : ''}`,
    );
  }
  if (record.dataContinues !== null)
    tooltip.appendMarkdown(`  \nrow i's data continues: ${record.dataContinues ? 'yes' : 'no'}`);
  for (const flag of record.flags) tooltip.appendMarkdown(`\n\n⚠ ${FLAG_SENTENCES[flag]}`);
  if (record.unreadable) {
    // Its norms and tensors are unknown: no table of NaNs, no claim about a tensor budget.
    item.tooltip = tooltip;
    return item;
  }
  tooltip.appendMarkdown(`\n\n| layer | mean ‖h₀‖ | mean ‖c₀‖ | mean ‖h‖ | mean ‖c‖ |\n|---|---|---|---|---|\n`);
  record.meanNorms.forEach((n, layer) =>
    tooltip.appendMarkdown(`| ${layer + 1} | ${fmt(n.h0)} | ${fmt(n.c0)} | ${fmt(n.h)} | ${fmt(n.c)} |\n`),
  );
  tooltip.appendMarkdown(
    `\n${record.rowCount} rows · ${captured ? 'full tensors saved' : 'norms only (past the tensor budget)'}`,
  );
  item.tooltip = tooltip;
  return item;
}

/** What each flag means, in the words of docs/run-format.md. */
const FLAG_SENTENCES: Record<BatchFlag, string> = {
  withGraph:
    'the carried state still held its autograd graph: gradients flow back into earlier batches — detach() it (PT001)',
  fromEval: 'carried across phases: evaluation overwrote the training state, or training went on from it (PT002)',
  shuffledData: "carried while the data loader shuffles: row i's data is an unrelated sample (PT003)",
};

/** "carried ← batch 3", "carried ← validation batch 2 of epoch 1", "restored ← epoch 2 batch 5", or "zeros: epoch reset". */
export function causeDescription(model: RunModel, record: BatchRecord): string {
  if (record.carriedFrom === null) return CAUSE_LABELS[record.cause];
  const word = record.cause === 'carried' ? 'carried' : record.cause;
  const step = record.carriedFrom;
  if (step >= model.batches.length) return `${word} ← step ${step}`;
  const [phase, epoch, batch] = [model.batches.phaseOf(step), model.batches.epochOf(step), model.batches.batchOf(step)];
  if (phase !== record.phase)
    return `${word} ← ${PHASE_NAMES[phase].toLowerCase()} batch ${batch + 1} of epoch ${epoch + 1}`;
  return epoch === record.epoch ? `${word} ← batch ${batch + 1}` : `${word} ← epoch ${epoch + 1} batch ${batch + 1}`;
}

function countsTable(counts: CauseCounts): string {
  const rows = CAUSES.filter((cause) => counts[cause] > 0).map(
    (cause) => `| ${CAUSE_LABELS[cause]} | ${counts[cause]} |`,
  );
  return rows.length ? `| initial state | batches |\n|---|---|\n${rows.join('\n')}` : '';
}
