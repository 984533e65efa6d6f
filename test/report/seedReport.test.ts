/**
 * The seed runs' HTML reports stay at most 1 MB (issue 13: they were 7.4 MB and 11 MB): the seed
 * configs trained for real, reported with the default tensor budget, and read back from the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { renderReportHtml } from '../../src/report/renderReport';
import type { LstmConfig } from '../../src/shared/config';
import type { BatchRecord, LogRecord } from '../../src/shared/runFormat';
import { reportPayloadOf } from '../helpers/reportPayload';
import { trainInTemp } from '../helpers/trainInTemp';

const EXAMPLES = path.resolve(__dirname, '../../examples');
/** The target of the issue (and of `npm run bench`). */
const ONE_MB = 1_000_000;

/** An example config as the user has it (its `$schema` link is only for the editor). */
function exampleConfig(name: string): LstmConfig {
  const { $schema: _schema, ...config } = JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${name}.lstm.json`), 'utf8'));
  return config as LstmConfig;
}

/** The batch records of a run, straight from its log. */
function logBatches(runDir: string): BatchRecord[] {
  return fs
    .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LogRecord)
    .filter((r): r is BatchRecord => r.t === 'batch');
}

describe('seed reports', () => {
  test.each(['seed-stateful', 'seed-stateless'])(
    '%s: 75 batches of 200 rows × 16 units, every batch in the report, at most 1 MB',
    async (name) => {
      const { run, workspace } = await trainInTemp(exampleConfig(name), undefined, `${name}.lstm.json`);
      try {
        const batches = logBatches(run.runDir);
        // The seed's shape, from its log: 15 epochs × 5 batches of 200 rows, 16 units, all captured.
        expect(batches).toHaveLength(75);
        expect(batches.every((b) => b.rowCount === 200 && b.statesOffset !== null)).toBe(true);
        expect(run.manifest.model.layers.map((l) => l.units)).toEqual([16]);
        const html = renderReportHtml(run.runDir);
        expect(Buffer.byteLength(html)).toBeLessThanOrEqual(ONE_MB);
        const payload = reportPayloadOf(html);
        if (payload.kind !== 'run') throw new Error(`expected a run report, got ${payload.kind}`);
        expect(payload.columns.count).toBe(75);
        expect([...payload.columns.loss]).toEqual(batches.map((b) => b.loss));
        // Every batch keeps some rows of its tensors (so its continuity can still be checked), in step order.
        expect([...payload.tensors.steps]).toEqual(batches.map((b) => b.step));
        expect(payload.tensors.rows).toBeGreaterThan(0);
        // Whatever is left out to stay small is said.
        if (payload.tensors.rows < 200) expect(payload.note).toMatch(/embeds the first \d+ of 200 rows of every batch/);
      } finally {
        fs.rmSync(workspace, { recursive: true, force: true });
      }
    },
  );
});
