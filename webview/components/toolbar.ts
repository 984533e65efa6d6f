/** Reset States Now, Pause/Resume, Stop and Export: posted to the host, which forwards them to the trainer. */
import { html, render } from 'lit';
import type { PanelStore } from '../state/panelStore';
import type { RunModel } from '../state/runModel';
import { button } from './controls';

const RESET = "zero every row's state before the next batch";

/** The run controls, rendered into the page's toolbar element; the note after a click is its own state. */
export class Toolbar {
  /** Said after a click, until the run ends. */
  private note = '';

  constructor(
    private readonly store: PanelStore,
    private readonly element: HTMLElement,
    private readonly exportReport: () => void,
  ) {
    store.subscribe(
      (s) => s.run.version,
      () => this.render(),
    );
  }

  private render(): void {
    const { run } = this.store.state;
    if (!run.live) this.note = '';
    render(
      toolbarTemplate(run, this.note, {
        resetNow: () => {
          this.store.act('resetNow');
          this.note = 'Reset requested: it applies at the next batch boundary and shows as a manual reset.';
          this.render();
        },
        pauseResume: () => this.store.act(this.store.state.run.status === 'paused' ? 'resume' : 'pause'),
        stop: () => this.store.act('stop'),
        export: () => this.store.act('export'),
        report: () => this.exportReport(),
      }),
      this.element,
    );
  }
}

/** The buttons for `run`; before the snapshot (no manifest) every button is on, as nothing is known yet. */
function toolbarTemplate(
  run: RunModel,
  note: string,
  on: Record<'resetNow' | 'pauseResume' | 'stop' | 'export' | 'report', () => void>,
) {
  const known = run.manifest !== undefined;
  const live = !known || run.live;
  const paused = run.status === 'paused';
  const resetTitle = !known
    ? `${RESET} (stateful runs)`
    : !run.stateful
      ? 'stateless run: every batch already starts from zeros, there is no state to reset'
      : live
        ? RESET
        : 'the run is not live';
  return html` ${button({ testId: 'action-resetNow', text: 'Reset States Now', label: `Reset States Now: ${RESET} (stateful runs)`, title: resetTitle, disabled: known && (!live || !run.stateful), onClick: on.resetNow })}
    ${button({ testId: 'action-pauseResume', text: paused ? 'Resume' : 'Pause', label: paused ? 'Resume: continue training' : 'Pause: hold training before the next batch', title: 'hold training before the next batch', disabled: !live, secondary: true, onClick: on.pauseResume })}
    ${button({ testId: 'action-stop', text: 'Stop', label: 'Stop: finish the current batch and end the run', title: 'finish the current batch and end the run', disabled: !live, secondary: true, onClick: on.stop })}
    ${button({ testId: 'action-export', text: 'Export', label: 'Export: export this run as NumPy files', title: 'export this run as NumPy files', secondary: true, onClick: on.export })}
    ${button({ testId: 'action-report', text: 'HTML Report', label: 'HTML Report: write this run as a standalone HTML page', title: 'write this run as a standalone HTML page (LSTM: Export HTML Report…)', secondary: true, onClick: on.report })}
    <span class="toolbar-note" role="status" data-testid="toolbar-note">${note}</span>`;
}
