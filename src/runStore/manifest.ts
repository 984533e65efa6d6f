/**
 * Reads a run's manifest.json: checks the format version (a run of a version this code does not
 * know is refused, naming the version and the folder), checks the fields every view relies on,
 * and normalises version 1 to the version-2 shape.
 */
import * as fs from 'fs';
import * as path from 'path';
import { READABLE_FORMAT_VERSIONS, RUN_FILES, type RunManifest } from '../shared/runFormat';
import { RunFolderError, messageOf } from './runFolderError';

/** Reads and checks `<runDir>/manifest.json`. */
export function readManifest(runDir: string): RunManifest {
  const file = path.join(runDir, RUN_FILES.manifest);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(runDir, file, error);
  }
  return parseManifest(text, runDir);
}

/** Same as readManifest, without blocking the event loop. */
export async function readManifestAsync(runDir: string): Promise<RunManifest> {
  const file = path.join(runDir, RUN_FILES.manifest);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(runDir, file, error);
  }
  return parseManifest(text, runDir);
}

function unreadable(runDir: string, file: string, error: unknown): RunFolderError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new RunFolderError(
      runDir,
      `not a run folder: it has no ${RUN_FILES.manifest}. Pick the folder of one run (inside .lstm-runs/).`,
    );
  if (code === 'EISDIR') return new RunFolderError(file, 'is a folder, not a file; this run folder is damaged.');
  return new RunFolderError(file, `cannot be read: ${messageOf(error)}`);
}

/** Parses, checks and normalises a manifest's text. */
export function parseManifest(text: string, runDir: string): RunManifest {
  const file = path.join(runDir, RUN_FILES.manifest);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RunFolderError(file, `is not valid JSON (${messageOf(error)}); this run folder is damaged.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RunFolderError(file, 'is not a JSON object; this run folder is damaged.');
  const m = raw as Record<string, unknown>;
  const version = m.formatVersion ?? m.format;
  if (version === undefined)
    throw new RunFolderError(file, 'has no formatVersion: it was not written by LSTM State Timeline, or is damaged.');
  if (!READABLE_FORMAT_VERSIONS.includes(version as number)) {
    throw new RunFolderError(
      runDir,
      `run format version ${JSON.stringify(version)} is not one this version of LSTM State Timeline reads (it reads ${READABLE_FORMAT_VERSIONS.join(' and ')}). Update the extension to open this run.`,
    );
  }
  // Fields a writer may leave out stand for "not known".
  const manifest =
    version === 1
      ? fromVersion1(m)
      : ({ script: null, configPath: null, config: null, resolved: null, ...m } as unknown as RunManifest);
  checkFields(manifest, file);
  return manifest;
}

/** Version 1 had `format`, top-level pid/hostname, and LSTM layers without names. */
function fromVersion1(m: Record<string, unknown>): RunManifest {
  const v1 = m as unknown as Omit<RunManifest, 'formatVersion'> & {
    pid: number;
    hostname: string;
    model: { layers: Array<{ units: number; params: number }> };
  };
  const layers = (Array.isArray(v1.model?.layers) ? v1.model.layers : []).map((layer, i) => ({
    name: `layer ${i}`,
    units: layer.units,
    cellUnits: layer.units,
    params: layer.params,
  }));
  return {
    ...v1,
    formatVersion: 1,
    writer: { name: 'trainer', version: String((v1.versions as Record<string, unknown> | undefined)?.product ?? '') },
    process: { pid: v1.pid, hostname: v1.hostname, startTicks: null },
    model: { ...v1.model, kind: 'lstm', states: ['h', 'c'], layers },
    hiddenLayers: layers.map((_, i) => i),
    control: ['resetNow', 'setResetSchedule', 'pause', 'resume', 'stop'],
  };
}

/** The fields the views read; a manifest without them is damaged, and says which field. */
function checkFields(m: RunManifest, file: string): void {
  const fail = (field: string, what: string): never => {
    throw new RunFolderError(file, `field \`${field}\` ${what}; this run folder is damaged.`);
  };
  const count = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
  // A recorder may not know a size in advance: null is allowed, anything else must be a count.
  const countOrNull = (value: unknown) => value === null || count(value);
  if (typeof m.name !== 'string') fail('name', 'must be a string');
  if (typeof m.runId !== 'string') fail('runId', 'must be a string');
  if (typeof m.process !== 'object' || m.process === null || !count(m.process.pid))
    fail('process.pid', 'must be a process id');
  if (typeof m.data !== 'object' || m.data === null) fail('data', 'is missing');
  for (const key of ['samples', 'timesteps', 'features', 'targets'] as const)
    if (!countOrNull(m.data[key])) fail(`data.${key}`, 'must be a whole number or null');
  if (typeof m.model !== 'object' || m.model === null) fail('model', 'is missing');
  if (!Array.isArray(m.model.states) || !m.model.states.includes('h'))
    fail('model.states', 'must list "h" (and "c" for an LSTM)');
  if (!Array.isArray(m.model.layers) || m.model.layers.length === 0)
    fail('model.layers', 'must list at least one layer');
  m.model.layers.forEach((layer, i) => {
    if (!count(layer?.units) || layer.units === 0) fail(`model.layers[${i}].units`, 'must be a positive whole number');
    if (!count(layer.cellUnits)) fail(`model.layers[${i}].cellUnits`, 'must be a whole number');
  });
  if (m.model.stateful !== null && typeof m.model.stateful !== 'boolean')
    fail('model.stateful', 'must be true, false or null');
  for (const key of ['batchSize', 'batchesPerEpoch', 'epochs'] as const)
    if (!countOrNull(m[key])) fail(key, 'must be a whole number or null');
  if (!Array.isArray(m.hiddenRows) || !m.hiddenRows.every(count)) fail('hiddenRows', 'must be a list of row numbers');
  if (!Array.isArray(m.hiddenLayers) || !m.hiddenLayers.every((l) => count(l) && l < m.model.layers.length))
    fail('hiddenLayers', 'must list layers of model.layers');
}
