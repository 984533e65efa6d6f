/** Reset States Now, Pause/Resume, Stop and Export: posted to the host, which forwards them to the trainer. */
import type { PanelAction } from '../../src/shared/channels/webviewChannel';
import type { RunModel } from '../model/runModel';
import { button } from './controls';
import { h } from './dom';

export class Toolbar {
  readonly element: HTMLElement;
  private readonly reset;
  private readonly pauseResume;
  private readonly stop;
  private readonly note = h('span', { class: 'toolbar-note', role: 'status', 'data-testid': 'toolbar-note' });

  constructor(private readonly model: RunModel, act: (action: PanelAction) => void) {
    this.reset = button('action-resetNow', 'Reset States Now', 'zero every row\'s state before the next batch (stateful runs)', () => {
      act('resetNow');
      this.note.textContent = 'Reset requested: it applies at the next batch boundary and shows as a manual reset.';
    });
    this.pauseResume = button('action-pauseResume', 'Pause', 'hold training before the next batch', () => act(this.model.status === 'paused' ? 'resume' : 'pause'), true);
    this.stop = button('action-stop', 'Stop', 'finish the current batch and end the run', () => act('stop'), true);
    const exportButton = button('action-export', 'Export', 'export this run as NumPy files', () => act('export'), true);
    this.element = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Run controls' }, this.reset, this.pauseResume, this.stop, exportButton, this.note);
  }

  update(): void {
    const { model } = this;
    const live = model.live;
    this.reset.disabled = !live || !model.stateful;
    this.reset.title = !model.stateful ? 'stateless run: every batch already starts from zeros, there is no state to reset' : live ? 'zero every row\'s state before the next batch' : 'the run is not live';
    this.pauseResume.disabled = !live;
    const paused = model.status === 'paused';
    this.pauseResume.textContent = paused ? 'Resume' : 'Pause';
    this.pauseResume.setAttribute('aria-label', paused ? 'Resume: continue training' : 'Pause: hold training before the next batch');
    this.stop.disabled = !live;
    if (!live) this.note.textContent = '';
  }
}
