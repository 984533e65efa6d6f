/** Coalesces every change into at most one repaint per animation frame. */

/** Parts of the page that can be repainted separately. */
export type Part = 'timeline' | 'loss' | 'summary' | 'summaryFull' | 'banner' | 'toolbar' | 'inspector' | 'restyle' | 'state';

export class FrameLoop {
  private dirty = new Set<Part>();
  private scheduled = false;

  constructor(private readonly render: (parts: ReadonlySet<Part>, started: number) => void) {}

  /** Marks parts dirty; they are painted together in the next frame. */
  invalidate(...parts: Part[]): void {
    for (const part of parts) this.dirty.add(part);
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      const parts = this.dirty;
      this.dirty = new Set();
      this.render(parts, performance.now());
    });
  }
}
