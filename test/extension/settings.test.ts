/** `lstmState.updateRateHz`: 60 by default, clamped to 1–60; the tree and status bar refresh at most 10 times a second. */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { provide } from '../shims/vscode';
import { readSettings, updateIntervalMs } from '../../src/extension/settings';

/** The settings as a workspace configuration with `values` set (others at their defaults). */
function settingsWith(values: Record<string, unknown>) {
  provide(vscode.workspace as unknown as Record<string, unknown>, {
    getConfiguration: () => ({ get: (key: string, fallback: unknown) => (key in values ? values[key] : fallback) }),
    getWorkspaceFolder: () => undefined,
    workspaceFolders: undefined,
  });
  return readSettings();
}

describe('lstmState.updateRateHz', () => {
  it('defaults to 60 in package.json and in the host, whose reading clamps it to 1–60', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    const setting = manifest.contributes.configuration.properties['lstmState.updateRateHz'];
    expect([setting.default, setting.minimum, setting.maximum]).toEqual([60, 1, 60]);
    expect(settingsWith({}).updateRateHz).toBe(60);
    expect(settingsWith({ updateRateHz: 500 }).updateRateHz).toBe(60);
    expect(settingsWith({ updateRateHz: 0 }).updateRateHz).toBe(1);
    expect(settingsWith({ updateRateHz: 'fast' }).updateRateHz).toBe(60);
  });

  it('the tree and status bar refresh every 1000 / min(rate, 10) ms', () => {
    expect(updateIntervalMs(settingsWith({ updateRateHz: 60 }))).toBe(100);
    expect(updateIntervalMs(settingsWith({ updateRateHz: 10 }))).toBe(100);
    expect(updateIntervalMs(settingsWith({ updateRateHz: 4 }))).toBe(250);
  });
});
