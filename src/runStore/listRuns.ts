/** Finds run folders: the folders under a runs folder that hold a manifest. */
import * as fs from 'fs';
import * as path from 'path';
import { RUN_FILES } from '../shared/runFormat';

/** Run folders under `runsDir`, newest first (folder names start with a UTC timestamp). */
export function listRunDirs(runsDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(runsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(runsDir, entry.name, RUN_FILES.manifest)))
    .map((entry) => path.join(runsDir, entry.name))
    .sort((a, b) => path.basename(b).localeCompare(path.basename(a)));
}
