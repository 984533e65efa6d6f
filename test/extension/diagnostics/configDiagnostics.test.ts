/**
 * The Problems-panel wiring as the editor drives it: open a config, edit it while its CSV is
 * still being checked, and only the check of the current text sets diagnostics.
 */
import * as fs from 'fs';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { ConfigDiagnostics } from '../../../src/extension/diagnostics/configDiagnostics';
import { positionAt } from '../../../src/extension/diagnostics/fieldRange';
import { EventEmitter, provide, Uri } from '../../shims/vscode';
import { writeSeriesCsv } from '../../config/helpers';
import { tempWorkspace, waitFor } from '../helpers';
import { installStubs } from '../vscodeStubs';

const WORKER = path.resolve(__dirname, '../../../dist/configCheck.js');

/** A text document whose text the test replaces, as an edit would. */
function document(fileName: string, text: string) {
  return {
    uri: Uri.file(fileName),
    fileName,
    text,
    getText() {
      return this.text;
    },
    positionAt(offset: number) {
      const p = positionAt(this.text, offset);
      return new vscode.Position(p.line, p.character);
    },
  };
}

let diagnostics: ConfigDiagnostics | undefined;
afterEach(() => diagnostics?.dispose());

describe('config diagnostics in the editor', () => {
  it('an edit stops the check of the text it replaced; the check of the new text sets the diagnostics', async () => {
    const workspace = tempWorkspace();
    installStubs({ workspaceFolder: workspace });
    writeSeriesCsv(workspace, 'slow.csv', 150_000);
    writeSeriesCsv(workspace, 'bad.csv', 12, 5);
    const changed = new EventEmitter<{ document: unknown }>();
    const sets: Array<{ uri: string; messages: string[]; ranges: string[]; related: string[] }> = [];
    provide(vscode.workspace as unknown as Record<string, unknown>, { onDidChangeTextDocument: changed.event });
    provide(vscode.languages as unknown as Record<string, unknown>, {
      createDiagnosticCollection: () => ({
        set: (uri: Uri, list: vscode.Diagnostic[]) =>
          sets.push({
            uri: uri.toString(),
            messages: list.map((d) => d.message),
            ranges: list.map((d) => `${d.range.start.line}:${d.range.start.character}`),
            related: list.flatMap((d) =>
              (d.relatedInformation ?? []).map(
                (r) => `${r.location.uri.fsPath}:${(r.location.range as unknown as vscode.Position).line}`,
              ),
            ),
          }),
        delete: () => undefined,
        dispose: () => undefined,
      }),
    });
    const config = (csv: string) =>
      JSON.stringify(
        {
          data: { csv, columns: ['a', 'b'], target: 'c', window: 3 },
          model: { units: 2 },
          training: { batchSize: 4, epochs: 1 },
        },
        null,
        2,
      );
    const doc = document(path.join(workspace, 'edit.lstm.json'), config('slow.csv'));
    provide(vscode.workspace as unknown as Record<string, unknown>, { textDocuments: [doc] });

    diagnostics = new ConfigDiagnostics(WORKER);
    // The slow file is being checked in the worker; the user points the config at another file.
    await new Promise((resolve) => setTimeout(resolve, 50));
    doc.text = config('bad.csv');
    changed.fire({ document: doc });

    await waitFor(() => sets.length > 0, 10_000, 'diagnostics');
    // Give a stale check time to land, if it were not stopped (the slow file takes about a second).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sets).toHaveLength(1);
    expect(sets[0].uri).toBe(doc.uri.toString());
    expect(sets[0].messages).toEqual([expect.stringMatching(/bad\.csv:5:12: column "b" holds "oops"/)]);
    // On the value of data.csv (line 3 of the pretty-printed config).
    expect(sets[0].ranges).toEqual(['2:11']);
    // …and points at the CSV cell itself, so one click in Problems opens bad.csv at line 5 (0-based 4).
    expect(sets[0].related).toEqual([`${path.join(workspace, 'bad.csv')}:4`]);
    fs.rmSync(workspace, { recursive: true, force: true });
  });
});

describe('the extension host bundle', () => {
  it('holds no config checking or data reading, only the checker that starts workers (and the path arithmetic of a python config)', () => {
    // Sources of the built bundle, from its source map (`npm test` builds with source maps).
    const map = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../dist/extension.js.map'), 'utf8')) as {
      sources: string[];
    };
    const config = map.sources.filter((source) => source.includes('src/config/'));
    expect(config.map((source) => source.replace(/^.*src\//, 'src/')).sort()).toEqual([
      'src/config/check/configChecker.ts',
      'src/config/resolvePythonConfig.ts',
    ]);
    expect(map.sources.filter((source) => /node_modules\/(ajv|csv-parse)\//.test(source))).toEqual([]);
    expect(map.sources.filter((source) => source.includes('src/trainer/'))).toEqual([]);
  });
});
