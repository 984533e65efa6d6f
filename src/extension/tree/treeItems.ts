/** TreeItems of the Runs tree: labels, descriptions, codicons and tooltips (numbers shown 1-based, as the CLI does). */
import * as vscode from 'vscode';
import { CAUSE_LABELS, CAUSES, type CauseCounts, type InitialStateCause } from '../../shared/causes';
import type { BatchRecord, RunStatus } from '../../shared/runFormat';
import { resetCount } from '../../shared/causes';
import { escapeMarkdown } from '../ui/markdown';
import type { EpochInfo, RunModel } from '../runs/runModel';
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
};

const icon = ([id, color]: [string, string?]) =>
  new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const fmt = (n: number) => (Math.abs(n) >= 1e-3 || n === 0 ? n.toFixed(4) : n.toExponential(2));

/** Codicon of a run status. */
export function statusIcon(status: RunStatus): vscode.ThemeIcon {
  return icon(STATUS_ICONS[status]);
}

/** Codicon of a batch's initial-state cause (zeros of each kind, or carried). */
export function causeIcon(cause: InitialStateCause): vscode.ThemeIcon {
  return icon(CAUSE_ICONS[cause]);
}

/** A run: name, status, when; a live run has the live context menu (stop, reset). */
export function runItem(id: string, model: RunModel, answer: string | undefined): vscode.TreeItem {
  const { manifest, status } = model;
  const item = new vscode.TreeItem(manifest.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  item.iconPath = statusIcon(status);
  item.description = `${status} · ${manifest.model.stateful ? 'stateful' : 'stateless'} · ${new Date(manifest.createdAt).toLocaleString()}`;
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

/** An epoch: mean loss and resets in it. */
export function epochItem(id: string, model: RunModel, info: EpochInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(`Epoch ${info.epoch + 1}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  item.iconPath = new vscode.ThemeIcon(info.meanLoss === undefined ? 'loading~spin' : 'layers');
  const resets = resetCount(info.counts);
  item.description = `loss ${fmt(model.meanLoss(info))} · ${resets} reset${resets === 1 ? '' : 's'}`;
  item.contextValue = 'epoch';
  item.tooltip = new vscode.MarkdownString(
    `**Epoch ${info.epoch + 1}** — ${info.count} batches, mean loss ${fmt(model.meanLoss(info))}${info.meanLoss === undefined ? ' (so far)' : ''}\n\n${countsTable(info.counts)}`,
  );
  return item;
}

/** A range of batches of a large epoch. */
export function rangeItem(id: string, start: number, end: number): vscode.TreeItem {
  const item = new vscode.TreeItem(`Batches ${start + 1}–${end}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  item.iconPath = new vscode.ThemeIcon('list-flat');
  item.description = `${end - start} batches`;
  item.contextValue = 'range';
  return item;
}

/** A batch; clicking it (not merely moving the selection onto it) reveals it in the timeline. */
export function batchItem(node: BatchNode, model: RunModel, record: BatchRecord): vscode.TreeItem {
  const item = new vscode.TreeItem(`Batch ${record.batch + 1}`, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.command = { command: 'lstmState.revealBatch', title: 'Reveal Batch', arguments: [node] };
  item.iconPath = causeIcon(record.cause);
  item.description = `${causeDescription(model, record)} · loss ${fmt(record.loss)}`;
  item.contextValue = record.statesOffset === null ? 'batch.normsOnly' : 'batch.captured';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**Batch ${record.batch + 1} of epoch ${record.epoch + 1}** (step ${record.step})\n\n`);
  tooltip.appendMarkdown(`loss: ${fmt(record.loss)}  \ninitial state: ${CAUSE_LABELS[record.cause]}`);
  if (record.carriedFrom !== null) tooltip.appendMarkdown(` — row i continues row i of step ${record.carriedFrom}`);
  tooltip.appendMarkdown(`\n\n| layer | mean ‖h₀‖ | mean ‖c₀‖ | mean ‖h‖ | mean ‖c‖ |\n|---|---|---|---|---|\n`);
  record.meanNorms.forEach((n, layer) =>
    tooltip.appendMarkdown(`| ${layer + 1} | ${fmt(n.h0)} | ${fmt(n.c0)} | ${fmt(n.h)} | ${fmt(n.c)} |\n`),
  );
  tooltip.appendMarkdown(
    `\n${record.rows.length} rows · ${record.statesOffset === null ? 'norms only (past the tensor budget)' : 'full tensors saved'}`,
  );
  item.tooltip = tooltip;
  return item;
}

/** "carried ← batch 3", or "zeros: epoch reset". */
export function causeDescription(model: RunModel, record: BatchRecord): string {
  if (record.cause !== 'carried' || record.carriedFrom === null) return CAUSE_LABELS[record.cause];
  const from = model.batches[record.carriedFrom];
  if (!from) return `carried ← step ${record.carriedFrom}`;
  return from.epoch === record.epoch
    ? `carried ← batch ${from.batch + 1}`
    : `carried ← epoch ${from.epoch + 1} batch ${from.batch + 1}`;
}

function countsTable(counts: CauseCounts): string {
  const rows = CAUSES.filter((cause) => counts[cause] > 0).map(
    (cause) => `| ${CAUSE_LABELS[cause]} | ${counts[cause]} |`,
  );
  return rows.length ? `| initial state | batches |\n|---|---|\n${rows.join('\n')}` : '';
}
