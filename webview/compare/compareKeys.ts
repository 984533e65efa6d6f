/** What a key does on a focused timeline of the comparison: zoom and pan the shared view (no batch is selected there). */
import { panBy, zoomAt, type Viewport } from '../numbers/viewport';

/** The shared view after `key`, or null for keys the comparison does not use. */
export function compareKey(key: string, shift: boolean, v: Viewport, domain: number): Viewport | null {
  const span = v.end - v.start;
  switch (key) {
    case '+':
    case '=':
      return zoomAt(v, 0.5, 0.5, domain);
    case '-':
    case '_':
      return zoomAt(v, 0.5, 2, domain);
    case 'ArrowLeft':
      return panBy(v, -span * (shift ? 0.5 : 0.1), domain);
    case 'ArrowRight':
      return panBy(v, span * (shift ? 0.5 : 0.1), domain);
    case 'Home':
      return panBy(v, -v.start, domain);
    case 'End':
      return panBy(v, domain - v.end, domain);
    default:
      return null;
  }
}
