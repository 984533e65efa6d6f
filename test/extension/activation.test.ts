/** package.json contributions match the code, and `activate` wires every command (with a stubbed `vscode`). */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { activate, deactivate } from '../../src/extension/extension';
import { COMPARE_VIEW_TYPE } from '../../src/extension/panel/comparePanel';
import { TIMELINE_VIEW_TYPE } from '../../src/extension/panel/timelinePanels';
import { installStubs, memento } from './vscodeStubs';
import { tempWorkspace } from './helpers';

const root = path.join(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

interface Command {
  command: string;
  title: string;
  category: string;
  icon?: string;
}
interface MenuEntry {
  command: string;
  when?: string;
}

describe('package.json contributions', () => {
  const commands = pkg.contributes.commands as Command[];
  const palette = pkg.contributes.menus.commandPalette as MenuEntry[];
  const paletteWhen = (id: string) => palette.find((entry) => entry.command === id)?.when;

  it('has the commands of the issue, titled exactly, in category LSTM', () => {
    expect(commands.map((c) => c.title)).toEqual([
      'Start Training',
      'Stop Training',
      'Pause Training',
      'Resume Training',
      'Reset States Now',
      'Set Reset Schedule…',
      'Open State Timeline',
      'Open Saved Run…',
      'Export Run…',
      'New Training Config…',
      'Reveal Batch',
      'Export Batch',
      'Copy Values',
      'Filter Batches…',
      'Compare Runs…',
      'Export HTML Report…',
    ]);
    for (const command of commands) {
      expect(command.command).toMatch(/^lstmState\.[a-zA-Z]+$/);
      expect(command.category).toBe('LSTM');
      expect(command.icon).toMatch(/^\$\([a-z-]+\)$/); // codicons only
    }
  });

  it('offers in the palette only what applies (context keys), and hides tree-only commands', () => {
    for (const id of ['lstmState.revealBatch', 'lstmState.exportBatch', 'lstmState.copyValues'])
      expect(paletteWhen(id)).toBe('false');
    expect(paletteWhen('lstmState.resetStatesNow')).toBe('lstmState.running && lstmState.stateful');
    expect(paletteWhen('lstmState.pauseTraining')).toBe('lstmState.running && !lstmState.paused');
    expect(paletteWhen('lstmState.resumeTraining')).toBe('lstmState.paused');
    expect(paletteWhen('lstmState.stopTraining')).toBe('lstmState.running');
  });

  it('declares the view, welcome, schema, settings, trust and an existing activity bar icon', () => {
    expect(pkg.contributes.viewsContainers.activitybar).toEqual([
      { id: 'lstmState', title: 'LSTM State Timeline', icon: 'media/lstm-state.svg' },
    ]);
    expect(pkg.contributes.views.lstmState[0]).toMatchObject({ id: 'lstmState.runs', name: 'Runs' });
    expect(fs.existsSync(path.join(root, 'media/lstm-state.svg'))).toBe(true);
    expect(
      pkg.contributes.viewsWelcome.some(
        (w: { contents: string }) =>
          w.contents.includes('command:lstmState.newConfig') && w.contents.includes('command:lstmState.startTraining'),
      ),
    ).toBe(true);
    const [validation] = pkg.contributes.jsonValidation;
    expect(validation.fileMatch).toBe('*.lstm.json');
    expect(fs.existsSync(path.join(root, validation.url))).toBe(true);
    const settings = pkg.contributes.configuration.properties;
    expect(Object.keys(settings)).toEqual([
      'lstmState.backend',
      'lstmState.runsFolder',
      'lstmState.tensorBudgetBytes',
      'lstmState.updateRateHz',
      'lstmState.pythonPath',
    ]);
    for (const setting of Object.values(settings) as Array<{ markdownDescription?: string; scope?: string }>) {
      expect(setting.markdownDescription?.length).toBeGreaterThan(20);
      expect(setting.scope).toBeTruthy();
    }
    expect(settings['lstmState.backend'].enum).toEqual(['auto', 'native', 'wasm', 'cpu']);
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe('limited');
    // A workspace must not pick the interpreter that runs before it is trusted.
    expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain('lstmState.pythonPath');
  });

  it('activates on restoring either panel type after a reload', () => {
    for (const viewType of [TIMELINE_VIEW_TYPE, COMPARE_VIEW_TYPE])
      expect(pkg.activationEvents).toContain(`onWebviewPanel:${viewType}`);
  });

  it('every menu and welcome link names a contributed (or built-in) command', () => {
    const ids = new Set(commands.map((c) => c.command));
    for (const entries of Object.values(pkg.contributes.menus) as MenuEntry[][])
      for (const entry of entries) expect(ids).toContain(entry.command);
    for (const welcome of pkg.contributes.viewsWelcome as Array<{ contents: string }>) {
      for (const [, id] of welcome.contents.matchAll(/command:([\w.]+)/g))
        expect(ids.has(id) || id.startsWith('workbench.')).toBe(true);
    }
  });
});

describe('activate', () => {
  it('registers a handler for every contributed command and deactivates cleanly', async () => {
    const recorder = installStubs({ workspaceFolder: tempWorkspace() });
    const subscriptions: vscode.Disposable[] = [];
    const context = {
      subscriptions,
      extensionPath: root,
      extensionUri: vscode.Uri.file(root),
      workspaceState: memento(),
    } as unknown as vscode.ExtensionContext;
    activate(context);
    for (const command of pkg.contributes.commands as Command[])
      expect(recorder.commands.has(command.command)).toBe(true);
    // Timelines and comparisons are both restored after a window reload.
    expect([...recorder.serializers].sort()).toEqual([COMPARE_VIEW_TYPE, TIMELINE_VIEW_TYPE].sort());
    expect(recorder.contexts).toEqual({
      'lstmState.running': false,
      'lstmState.paused': false,
      'lstmState.stateful': false,
    });
    await deactivate();
    for (const disposable of subscriptions) disposable.dispose();
    expect(recorder.commands.size).toBe(0);
    expect(recorder.serializers.size).toBe(0);
  });
});
