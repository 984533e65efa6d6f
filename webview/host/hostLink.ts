/**
 * Connects the store to its host: messages from the host become store actions; selections, detail
 * requests, toolbar actions and the UI state to keep go to the host.
 */
import { WEBVIEW_PROTOCOL_VERSION, type PanelAction, type ToWebview } from '../../src/shared/channels/webviewChannel';
import type { PanelEffects, PanelStore } from '../state/panelStore';
import type { UiState } from '../state/uiState';
import { DetailRequests } from './detailRequests';
import type { HostApi } from './hostApi';

/** Holding an arrow key must not flood the host: details are asked for, and selections told, once the selection rests. */
const DETAIL_DELAY_MS = 60;
const SELECTED_DELAY_MS = 150;

/** The store's effects on the host side, and the host's messages turned into store actions. */
export class HostLink implements PanelEffects {
  private store: PanelStore | undefined;
  private readonly details: DetailRequests;
  private detailTimer: ReturnType<typeof setTimeout> | undefined;
  private selectedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: HostApi<UiState>) {
    this.details = new DetailRequests(
      (message) => host.post(message),
      (step, result) => this.store?.detailArrived(step, result),
    );
  }

  /** Starts listening, keeps the UI state with the host, and asks the host for a snapshot. */
  connect(store: PanelStore): void {
    this.store = store;
    this.host.onMessage((message) => this.receive(store, message));
    // Kept once a run is loaded: before that, the shown view is a placeholder that would overwrite the kept one.
    store.subscribe(
      (s) => [s.ui, s.viewport],
      (s) => s.run.manifest && this.host.setState({ ...s.ui, viewport: s.viewport }),
    );
    this.host.post({ type: 'ready' });
  }

  selected(step: number): void {
    clearTimeout(this.selectedTimer);
    this.selectedTimer = setTimeout(() => this.host.post({ type: 'selected', step }), SELECTED_DELAY_MS);
  }

  cachedDetail(step: number) {
    return this.details.cached(step);
  }

  fetchDetail(steps: number[]): void {
    clearTimeout(this.detailTimer);
    this.detailTimer = setTimeout(() => {
      const state = this.store?.state;
      for (const step of steps)
        if (state && (state.ui.selected === step || state.successor.step === step)) this.details.request(step);
    }, DETAIL_DELAY_MS);
  }

  act(action: PanelAction): void {
    this.host.post({ type: 'action', action });
  }

  private receive(store: PanelStore, message: ToWebview): void {
    switch (message.type) {
      case 'snapshot': {
        this.details.clear();
        const mismatch =
          message.protocolVersion !== WEBVIEW_PROTOCOL_VERSION
            ? `This panel speaks protocol ${WEBVIEW_PROTOCOL_VERSION} but the extension sent ${message.protocolVersion}; reload the window.`
            : undefined;
        return store.loadRun(message.snapshot, message.columns, mismatch, message.updateRateHz);
      }
      case 'delta':
        // A gap in the steps: start over from a fresh snapshot.
        if (!store.extendRun(message)) return this.host.post({ type: 'ready' });
        return store.refreshSuccessor();
      case 'batchDetail':
        return this.details.reply(message.inReplyTo, { ok: true, detail: message.detail });
      case 'error':
        return this.details.reply(message.inReplyTo, { ok: false, message: message.message });
      case 'select':
        return store.reveal(message.step);
      case 'compare':
        // A comparison page is another app (webview/compare/); a timeline ignores it.
        return;
    }
  }
}
