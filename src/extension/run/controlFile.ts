/**
 * Commands for a live writer without an IPC channel (a recorded script, a run the CLI started):
 * one JSON line appended to its folder's control.jsonl (docs/run-format.md, "Controlling a live
 * run"). The writer acknowledges each in its log, so the run's state follows from the folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { TrainerCommand } from '../../shared/channels/trainerChannel';
import { RUN_FILES, type WriterProcess } from '../../shared/runFormat';
import type { RunModel } from '../runs/runModel';

/** Commands that act on the writer's whole process (every run it writes), not on one run's state. */
export function isProcessWide(command: TrainerCommand): boolean {
  return command.type === 'pause' || command.type === 'resume' || command.type === 'stop';
}

/** Whether the run's writer reads this command from its control file (`manifest.control`). */
export function acceptsControl(model: RunModel, command: TrainerCommand): boolean {
  return model.live && (model.manifest.control ?? []).includes(command.type);
}

/** Appends the command to the run's control.jsonl; false (and a warning) when the writer does not take it or the write fails. */
export function appendControl(model: RunModel, command: TrainerCommand, log: { warn(message: string): void }): boolean {
  if (!acceptsControl(model, command)) {
    log.warn(`${model.manifest.name} does not take "${command.type}" commands (its writer lists ${listed(model)})`);
    return false;
  }
  try {
    // One write of one complete line: the writer counts a line once it ends in \n.
    fs.appendFileSync(path.join(model.runDir, RUN_FILES.control), `${JSON.stringify(command)}\n`);
    return true;
  } catch (error) {
    log.warn(`cannot write to ${path.join(model.runDir, RUN_FILES.control)}: ${(error as Error).message}`);
    return false;
  }
}

/** Whether two runs were written by the same process (same host, pid and start time). */
export function sameWriter(a: WriterProcess, b: WriterProcess): boolean {
  return a.hostname === b.hostname && a.pid === b.pid && a.startTicks === b.startTicks;
}

function listed(model: RunModel): string {
  const control = model.manifest.control ?? [];
  return control.length ? control.join(', ') : 'no commands';
}
