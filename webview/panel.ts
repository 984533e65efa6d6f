/**
 * Puts the panel together: the store, the link to the host, and the components in the page layout.
 * From then on, host messages and user input go to the store's actions, and its subscribers repaint what changed.
 */
import { html, nothing, render } from 'lit';
import { mountBanner } from './components/banner';
import { Inspector } from './components/inspector';
import { mountEventsList } from './components/eventsList';
import { LossChart } from './components/lossChart';
import { Navigator } from './components/navigator';
import { mountReadout } from './components/readout';
import { mountSummaryTable } from './components/summaryTable';
import { TimelineView } from './components/timelineView';
import { Toolbar } from './components/toolbar';
import type { HostApi } from './host/hostApi';
import { HostLink } from './host/hostLink';
import { readTheme, watchTheme } from './host/theme';
import { PanelStore } from './state/panelStore';
import { defaultUiState, type UiState } from './state/uiState';

/** Renders the panel into `root` and asks `host` for the run. */
export function startPanel(host: HostApi<UiState>, root: HTMLElement): PanelStore {
  const link = new HostLink(host);
  const kept = host.getState();
  const store = new PanelStore(kept ?? defaultUiState(''), readTheme(), link);
  const report = host.mode === 'report';
  document.body.classList.toggle('lstm-report', report);
  // The loss chart subscribes before the timeline: it sets the gutters the timeline draws with in the same frame.
  const loss = new LossChart(store);
  const timeline = new TimelineView(store);
  render(
    html` <main class="app">
      <header class="banner"></header>
      ${report ? nothing : html`<div class="toolbar" role="toolbar" aria-label="Run controls"></div>`}
      <section class="timeline-section" aria-label="Timeline of batches and loss">
        <div class="navigator"></div>
        ${timeline.element}
        <p class="readout" data-testid="selection-readout"></p>
        ${loss.element}
      </section>
      <div class="lower">
        <section class="inspector" data-testid="inspector" aria-labelledby="inspector-title"></section>
        <div class="side">
          <section class="summary-section" aria-label="Resets per epoch"></section>
          <section class="events" aria-labelledby="events-title"></section>
        </div>
      </div>
      ${report ? html`<footer class="muted">Standalone report of a recorded run: everything shown was read from the run folder.</footer>` : nothing}
    </main>`,
    root,
  );
  const part = (selector: string) => root.querySelector<HTMLElement>(selector)!;
  // The tables change on every live batch (their totals): contained, a change repaints and lays out the
  // table alone, not the page (a 200-row table took ~5 ms of paint per frame). CSSOM: allowed by the CSP.
  for (const selector of ['.summary-section', '.events']) part(selector).style.contain = 'content';
  mountBanner(store, part('.banner'));
  if (!report) new Toolbar(store, part('.toolbar'), () => host.post({ type: 'exportReport' }));
  mountReadout(store, part('.readout'));
  new Inspector(store, part('.inspector'));
  mountSummaryTable(store, part('.summary-section'));
  mountEventsList(store, part('.events'));
  new Navigator(store, part('.navigator'));
  store.onPainted((started) => {
    // For benchmarks and tests: this frame's drawing is done, and how long it took.
    window.dispatchEvent(
      new CustomEvent('lstm:painted', { detail: { batches: store.state.run.length, ms: performance.now() - started } }),
    );
  });
  watchTheme(() => store.setTheme(readTheme()));
  link.connect(store);
  return store;
}
