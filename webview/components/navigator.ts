/** Above the timeline: follow the live run again, and go to a batch by step or by epoch and batch. */
import { html, render } from 'lit';
import { parseBatchQuery, resolveBatchQuery } from '../numbers/goTo';
import type { PanelStore } from '../state/panelStore';

/** The follow button and the "Go to batch" box, rendered into `element`. */
export class Navigator {
  private message = '';

  constructor(
    private readonly store: PanelStore,
    private readonly element: HTMLElement,
  ) {
    store.subscribe(
      (s) => [s.run.version, s.ui.follow],
      () => this.render(),
    );
  }

  private render(): void {
    const { run, ui } = this.store.state;
    const following = ui.follow && run.live;
    render(
      html`<button
          type="button"
          class="follow"
          data-testid="follow"
          aria-pressed=${following ? 'true' : 'false'}
          ?hidden=${!run.live}
          title="Fit the batches so far and keep fitting them as the run grows (zooming or panning stops it)"
          @click=${() => this.store.follow()}
        >
          ${following ? 'Following the run' : 'Follow the run'}
        </button>
        <form class="goto" @submit=${(e: SubmitEvent) => this.submit(e)}>
          <label for="goto-batch">Go to batch</label>
          <input
            id="goto-batch"
            data-testid="goto-batch"
            type="text"
            size="10"
            placeholder="step or e/b"
            title="A step (e.g. 12), or an epoch and a training batch counted from 1 (e.g. 3/2)"
            aria-describedby="goto-message"
          />
          <button type="submit" data-testid="goto-submit">Go</button>
          <span id="goto-message" class="error" role="status" data-testid="goto-message">${this.message}</span>
        </form>`,
      this.element,
    );
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const input = this.element.querySelector<HTMLInputElement>('#goto-batch')!;
    const found = resolveBatchQuery(parseBatchQuery(input.value), this.store.state.run);
    this.message = 'error' in found ? found.error : '';
    if (!('error' in found)) this.store.goTo(found.step);
    this.render();
  }
}
