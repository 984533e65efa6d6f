import * as fs from 'fs';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import { ConfigChecker } from '../../../src/config/check/configChecker';
import { diagnosticsOf } from '../../../src/extension/diagnostics/configDiagnostics';
import { positionAt } from '../../../src/extension/diagnostics/fieldRange';
import { findingsOf, type Finding } from '../../../src/extension/diagnostics/findings';
import { tempWorkspace } from '../helpers';

/** The checker the diagnostics use, with the built worker (`npm test` builds first). */
const checker = new ConfigChecker(path.resolve(__dirname, '../../../dist/configCheck.js'));
afterAll(() => checker.dispose());

const seed = {
  data: { generator: 'sine', samples: 1000, timesteps: 20, features: 1, seed: 0, layout: 'continuous' },
  model: { units: 16, stateful: true },
  training: { batchSize: 200, epochs: 2, shuffle: true },
  resets: 'epoch',
};

/** Pretty-printed like a user's file, so every field is on its own line. */
const text = (config: unknown) => JSON.stringify(config, null, 2);

/** Each finding as "severity code line:col 'marked text'". */
function describeFindings(source: string, findings: Finding[]): string[] {
  return findings.map((f) => {
    const { line, character } = positionAt(source, f.start);
    return `${f.severity} ${f.code ?? '-'} ${line + 1}:${character + 1} '${source.slice(f.start, f.end)}'`;
  });
}

async function analyze(config: unknown, workspace = tempWorkspace()) {
  const source = typeof config === 'string' ? config : text(config);
  const configPath = path.join(workspace, 'model.lstm.json');
  fs.writeFileSync(configPath, source);
  const problems = await checker.check(configPath, source, configPath, workspace);
  return { source, findings: findingsOf(source, configPath, problems!) };
}

describe('config diagnostics placement', () => {
  it('puts the stateful + shuffle warning on the value of training.shuffle', async () => {
    const { source, findings } = await analyze(seed);
    expect(describeFindings(source, findings)).toEqual(["warning LSTM001 17:16 'true'"]);
    expect(findings[0].message).toMatch(/shuffle/);
  });

  it('a clean config has no findings; several pitfalls each land on their own field', async () => {
    expect((await analyze({ ...seed, training: { ...seed.training, shuffle: false } })).findings).toEqual([]);
    const { source, findings } = await analyze({
      data: { generator: 'sine', samples: 1001, timesteps: 1 },
      model: { units: 4, stateful: true },
      training: { batchSize: 200, epochs: 1 },
    });
    const described = describeFindings(source, findings);
    expect(described).toContain("warning LSTM002 12:18 '200'"); // training.batchSize
    expect(described).toContain("warning LSTM004 5:18 '1'"); // data.timesteps
    expect(described).toContain("warning LSTM003 9:17 'true'"); // resets not written: on model.stateful
    // layout is absent: the warning sits on the key of its nearest ancestor, "data".
    expect(described).toContain('warning LSTM005 2:3 \'"data"\'');
  });

  it('schema errors are errors on the offending field', async () => {
    const { source, findings } = await analyze({ ...seed, training: { ...seed.training, batchSize: 0 } });
    expect(describeFindings(source, findings)).toEqual(["error - 15:18 '0'"]);
    expect(findings[0].message).toMatch(/batchSize/);
    const unknown = await analyze({ ...seed, model: { ...seed.model, unit: 3 } });
    expect(unknown.findings[0].severity).toBe('error');
    expect(unknown.findings[0].message).toMatch(/unit/);
  });

  it('refuses what the trainer refuses before it reads any data: a stateful run without one full batch, an X too large to hold', async () => {
    const { source, findings } = await analyze({
      ...seed,
      data: { ...seed.data, samples: 10 },
      training: { ...seed.training, batchSize: 32 },
    });
    expect(describeFindings(source, findings)).toEqual(["error - 15:18 '32'"]);
    expect(findings[0].message).toMatch(/whole batches.*only 10 samples/);
    const huge = await analyze({ ...seed, data: { ...seed.data, samples: 10_000_000, timesteps: 100 } });
    expect(huge.findings.map((f) => f.severity)).toEqual(['error']);
    expect(huge.findings[0].message).toMatch(/more than the \d+ this trainer keeps in memory/);
  });

  it('a JSON syntax error is marked where the parser stopped', async () => {
    const broken =
      '{\n  "data": { "generator": "sine", "samples": 10, "timesteps": 5 },\n  "model": { "units": 4 }\n  "training": { "batchSize": 2, "epochs": 1 }\n}\n';
    const { source, findings } = await analyze(broken);
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('error');
    expect(positionAt(source, findings[0].start).line).toBe(3);
  });

  it('a CSV path outside the workspace folder is refused on data.csv', async () => {
    const workspace = tempWorkspace();
    const outside = path.join(path.dirname(workspace), 'outside.csv');
    fs.writeFileSync(outside, 'a,b\n1,2\n');
    const config = {
      data: { csv: '../outside.csv', columns: ['a'], target: 'b', window: 1 },
      model: { units: 2 },
      training: { batchSize: 1, epochs: 1 },
    };
    const { source, findings } = await analyze(config, workspace);
    expect(describeFindings(source, findings)).toEqual([`error - 3:12 '"../outside.csv"'`]);
    expect(findings[0].message).toMatch(/outside the workspace folder/);
  });

  it('becomes vscode diagnostics with severity, source and code', async () => {
    const { source, findings } = await analyze(seed);
    const document = {
      positionAt: (offset: number) => {
        const p = positionAt(source, offset);
        return new vscode.Position(p.line, p.character);
      },
    };
    const [diagnostic] = diagnosticsOf(document as unknown as vscode.TextDocument, findings);
    expect(diagnostic.severity).toBe(vscode.DiagnosticSeverity.Warning);
    expect(diagnostic.source).toBe('LSTM');
    expect(diagnostic.code).toBe('LSTM001');
    expect(diagnostic.range.start).toEqual(new vscode.Position(16, 15));
    expect(diagnostic.range.end).toEqual(new vscode.Position(16, 19));
  });
});
