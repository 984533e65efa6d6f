/** The line under the timeline that says which batch is selected. */
import { render } from 'lit';
import type { PanelStore } from '../state/panelStore';

/** Renders the selected batch's description into `element` whenever the selection or the run changes. */
export function mountReadout(store: PanelStore, element: HTMLElement): void {
  store.subscribe(
    (s) => [s.run.version, s.ui.selected],
    () => render(store.selectionText() ?? 'No batch selected.', element),
  );
}
