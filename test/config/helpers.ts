/** Temp workspaces and seed configs shared by the config tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { LstmConfig } from '../../src/shared/config';
import { ConfigError } from '../../src/config/configError';

/** The seed question's stateless setup: X (1000, 20, 1), batch size 200. */
export function seedStateless(): LstmConfig {
  return {
    data: { generator: 'sine', samples: 1000, timesteps: 20, features: 1, seed: 0 },
    model: { units: 8 },
    training: { batchSize: 200, epochs: 3 },
  };
}

/** The seed question's stateful setup, laid out so row i continues row i. */
export function seedStateful(): LstmConfig {
  return {
    data: { generator: 'sine', samples: 1000, timesteps: 20, features: 1, seed: 0, layout: 'continuous' },
    model: { units: 8, stateful: true },
    training: { batchSize: 200, epochs: 3, shuffle: false },
    resets: 'epoch',
  };
}

/** A fresh temp folder marked as a workspace (has package.json); returns its path. */
export function tempWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-config-'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{}');
  return dir;
}

/** Writes a file (creating folders) and returns its absolute path. */
export function writeFile(dir: string, relative: string, text: string): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Writes a config as JSON and returns its path. */
export function writeConfig(dir: string, relative: string, config: unknown): string {
  return writeFile(dir, relative, JSON.stringify(config, null, 2));
}

/** Runs `fn`, expecting a ConfigError, and returns it. */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/**
 * A CSV series `t,a,b,c` of `rows` data rows (about 35 bytes each), written in chunks; `badLine`
 * (1-based, as an editor counts) holds "oops" in column b. Returns the file's path.
 */
export function writeSeriesCsv(dir: string, relative: string, rows: number, badLine?: number): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 't,a,b,c\n');
  for (let start = 0; start < rows; start += 100_000) {
    const lines: string[] = [];
    for (let r = start; r < Math.min(rows, start + 100_000); r++) {
      const b = r + 2 === badLine ? 'oops' : Math.cos(r / 7).toFixed(6);
      lines.push(`${r},${Math.sin(r / 10).toFixed(6)},${b},${((r % 97) / 97).toFixed(6)}\n`);
    }
    fs.writeSync(fd, lines.join(''));
  }
  fs.closeSync(fd);
  return file;
}
