/**
 * Makes the run folder (through RunWriter), or fails with an error that names `runsDir` and says
 * in words what the file system refused and what to do — never a bare errno such as ENAMETOOLONG.
 */
import * as path from 'path';
import { ConfigError } from '../config/configError';
import { RunWriter } from '../runStore/runWriter';

/** Most file systems (ext4, APFS, NTFS) allow at most 255 bytes in one file or folder name. */
const NAME_MAX_BYTES = 255;

/** The RunWriter of a new run folder; a folder that cannot be made is a ConfigError on `runsDir`. */
export function createWriter(...args: ConstructorParameters<typeof RunWriter>): RunWriter {
  try {
    return new RunWriter(...args);
  } catch (error) {
    const runDir = args[0];
    const { reason, todo } = folderProblem(runDir, error as NodeJS.ErrnoException);
    throw new ConfigError('runsDir', `cannot create the run folder ${shortened(runDir)}: ${reason}. ${todo}`);
  }
}

/** What went wrong, in words, and what to do about it. */
function folderProblem(runDir: string, error: NodeJS.ErrnoException): { reason: string; todo: string } {
  const choose = 'Choose a runsDir (or --runs-dir)';
  switch (error.code) {
    case 'ENAMETOOLONG': {
      const long = runDir.split(path.sep).find((part) => Buffer.byteLength(part) > NAME_MAX_BYTES);
      return {
        reason: long
          ? `the folder name ${shortened(long)} has ${long.length} characters, more than the ${NAME_MAX_BYTES} bytes a name may have`
          : `its path (${runDir.length} characters) is longer than this system allows`,
        todo: `${choose} with shorter folder names.`,
      };
    }
    case 'EACCES':
    case 'EPERM':
      return { reason: 'permission denied', todo: `${choose} in a folder you may write to.` };
    case 'EROFS':
      return { reason: 'the file system is read-only', todo: `${choose} on a writable disk.` };
    case 'ENOTDIR':
    case 'EEXIST':
      return { reason: 'a part of its path is a file, not a folder', todo: `${choose} whose parts are folders.` };
    case 'ENOSPC':
      return {
        reason: 'the disk is full',
        todo: 'Free some space, or choose a runsDir (or --runs-dir) on another disk.',
      };
    default:
      return {
        reason: error instanceof Error ? error.message : String(error),
        todo: `${choose} that exists or can be created.`,
      };
  }
}

/** A path with every over-long part cut to its first and last characters, so a message stays readable. */
function shortened(text: string): string {
  return text
    .split(path.sep)
    .map((part) => (part.length > 40 ? `${part.slice(0, 16)}…${part.slice(-8)}` : part))
    .join(path.sep);
}
