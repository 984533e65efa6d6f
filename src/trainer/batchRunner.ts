/**
 * Runs one batch of any phase — training, validation, prediction — the same way: at a batch
 * boundary (where commands land), the reset policy names the cause of its initial state, the
 * batch runs from zeros or from the carried state, and the run folder gets its record (initial
 * and final states, loss, cause, carriedFrom, dataContinues) before anyone is told of it.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { emptyTally, tallyBatch } from '../shared/answerTally';
import { emptyCauseCounts, RESET_CAUSES, type InitialStateCause } from '../shared/causes';
import { rowsContinue, type SampleBlock } from '../shared/continuity';
import type { BatchRecord, Phase } from '../shared/runFormat';
import type { RunWriter } from '../runStore/runWriter';
import { disposeStates, type BatchStep, type StepResult } from './batchStep';
import type { TensorBudget } from './capture';
import { CarriedState } from './carriedState';
import type { TrainingControls } from './controls';
import { batchPlace, likelyCause, NonFiniteError, nonFiniteIn } from './nonFinite';
import type { TrainerProgress } from './progress';
import type { PhaseBoundary, ResetPolicy } from './resetPolicy';
import { writeBatch } from './runRecords';

export interface RunnerSetup {
  step: BatchStep;
  policy: ResetPolicy;
  controls: TrainingControls;
  writer: RunWriter;
  budget: TensorBudget;
  /** Records what it announces (resets, pauses, schedule changes) and tells the listener. */
  publish: (event: TrainerProgress) => void;
  xAll: tfTypes.Tensor3D;
  yAll: tfTypes.Tensor2D;
  stateful: boolean;
  isolated: boolean;
  /** Which sample continues which (dataContinues). */
  blocks: SampleBlock[];
  nonFinite: {
    mode: 'stop' | 'continue';
    epochs: number;
    optimizer: string;
    learningRate: number;
    maxAbsX: () => number;
  };
}

/** Where a batch belongs: its phase, epoch, index within (epoch, phase), and how many the phase has. */
export interface BatchSlot {
  phase: Phase;
  epoch: number;
  batch: number;
  batchesInPhase: number;
}

export class BatchRunner {
  /** Initial-state causes of every batch so far. */
  readonly counts = emptyCauseCounts();
  /** Phases, data continuity and cross-phase carries, for the answer and the CLI summary. */
  readonly tally = emptyTally();
  private global = 0;
  private trainIndex = 0;
  private readonly state = new CarriedState();
  private readonly phaseOf: Phase[] = [];
  private readonly lastRows = new Map<Phase, number[]>();
  private warnedNonFinite = false;

  constructor(private readonly setup: RunnerSetup) {}

  /** Batch records written so far (the step that comes next). */
  get steps(): number {
    return this.global;
  }

  /** A phase boundary: the policy learns of it, and isolated validation saves or restores the training state. */
  boundary(boundary: PhaseBoundary): void {
    const { policy, stateful, isolated } = this.setup;
    policy.boundary(boundary);
    if (!stateful || !isolated) return;
    if (boundary === 'beforeValidation') this.state.save();
    if (boundary === 'afterValidation') this.state.restore();
  }

  /** Runs one batch of `rows` (sample indices); null when a stop was asked for before it. */
  async run(slot: BatchSlot, rows: number[]): Promise<BatchRecord | null> {
    const { controls, policy, publish, step, stateful } = this.setup;
    if (!(await controls.atBoundary(policy, this.global, publish))) return null;
    const { phase, epoch, batch } = slot;
    const cause = policy.causeFor({ step: this.global, phase, trainIndex: this.trainIndex });
    if (cause === 'epoch' || cause === 'schedule' || cause === 'manual')
      publish({ type: 'reset', cause, beforeStep: this.global, epoch, batch });
    const zeros = RESET_CAUSES.includes(cause);
    const source = zeros ? null : this.state.source;
    const result = step.run(this.setup.xAll, this.setup.yAll, rows, source, phase === 'train');
    const record = writeBatch(this.setup.writer, this.setup.budget, {
      phase,
      epoch,
      batch,
      step: this.global,
      rows,
      cause,
      carriedFrom: source ? source.step : null,
      dataContinues: this.dataContinues(phase, cause, rows, source?.rows),
      result,
    });
    if (stateful) this.state.replace({ tensors: result.finals, values: result.values, step: this.global, rows });
    else disposeStates(result.finals);
    this.counts[cause]++;
    tallyBatch(this.tally, record, source ? this.phaseOf[source.step] : null);
    this.phaseOf.push(phase);
    this.lastRows.set(phase, rows);
    this.global++;
    if (phase === 'train') this.trainIndex++;
    publish({ type: 'batch', record });
    this.checkFinite(record, result, slot);
    return record;
  }

  /** Frees the carried state's tensors. */
  dispose(): void {
    this.state.dispose();
  }

  /**
   * Carried: does each row's data continue the data its state comes from? A zero start: would it
   * have continued the previous batch of the same phase (true: a state dropped where the data goes
   * on)? Unknown (null) for the first batch of the run or of a phase.
   */
  private dataContinues(
    phase: Phase,
    cause: InitialStateCause,
    rows: number[],
    sourceRows: number[] | undefined,
  ): boolean | null {
    if (sourceRows) return rowsContinue(this.setup.blocks, rows, sourceRows);
    const previous = this.lastRows.get(phase);
    if (cause === 'first' || !previous) return null;
    return rowsContinue(this.setup.blocks, rows, previous);
  }

  /** A non-finite loss or state stops the run (after it is recorded) unless the config says continue. */
  private checkFinite(record: BatchRecord, result: StepResult, slot: BatchSlot): void {
    const what = nonFiniteIn(result.loss, result.values);
    if (!what) return;
    const { mode, epochs, optimizer, learningRate, maxAbsX } = this.setup.nonFinite;
    const place = batchPlace(record, epochs, slot.batchesInPhase);
    const cause = likelyCause(record.phase, optimizer, learningRate, maxAbsX());
    if (mode === 'stop') {
      throw new NonFiniteError(
        `${what} at ${place}: ${cause}. The batch is recorded as it is; the run stops here. ` +
          'Lower training.learningRate or scale the data; "training.onNonFinite": "continue" records such batches and trains on.',
        this.global,
      );
    }
    if (this.warnedNonFinite) return;
    this.warnedNonFinite = true;
    const message = `${what} at ${place}: ${cause}. Training goes on ("training.onNonFinite": "continue"); such batches are recorded as they are.`;
    this.setup.writer.record({ t: 'warning', code: 'NONFINITE', message, field: 'training.onNonFinite' });
    this.setup.publish({ type: 'warning', code: 'NONFINITE', message, field: 'training.onNonFinite' });
  }
}
