/**
 * The theme from the page: colours from the `--lst-*` variables of media/timeline.css (which follow VS Code's
 * `--vscode-*` theme), and a watch on VS Code's theme switches (or the system's light/dark preference, for a report).
 */
import { CAUSES, type InitialStateCause } from '../../src/shared/causes';
import type { Palette, Rgb, Theme } from '../state/theme';

/**
 * Calls `onChange` when VS Code switches theme: it swaps the body class
 * (vscode-light / vscode-dark / vscode-high-contrast) and rewrites the variables on <html>.
 */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', onChange);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', onChange);
  };
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour as RGB, via a 1×1 canvas (handles names, hex, rgb(), hsl()). */
function toRgb(color: string): Rgb {
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return [128, 128, 128];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#808080';
  probe.fillStyle = color;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

/** Reads the palette from the `--lst-*` variables of media/timeline.css. */
function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(`--lst-${name}`).trim() || fallback;
  const cause = Object.fromEntries(CAUSES.map((c) => [c, v(c, '#888')])) as Record<InitialStateCause, string>;
  const palette = {
    background: v('bg', '#1e1e1e'),
    foreground: v('fg', '#cccccc'),
    muted: v('muted', '#9d9d9d'),
    grid: v('grid', '#454545'),
    focus: v('focus', '#007fd4'),
    selection: v('selection', 'rgba(38, 79, 120, 0.6)'),
    loss: v('loss', '#9d9d9d'),
    ema: v('ema', '#3794ff'),
    negative: v('negative', '#3794ff'),
    positive: v('positive', '#f14c4c'),
    cause,
    phase: {
      train: v('bg', '#1e1e1e'),
      validate: v('phase-validate', '#c8c8c8'),
      predict: v('phase-predict', '#8a8a8a'),
      eval: v('phase-eval', '#c8c8c8'),
    },
    nonFinite: v('nonfinite', '#f48771'),
    flag: v('flag', '#cca700'),
    validation: v('validation', '#e69f00'),
  };
  return {
    ...palette,
    backgroundRgb: toRgb(palette.background),
    negativeRgb: toRgb(palette.negative),
    positiveRgb: toRgb(palette.positive),
  };
}

/** The theme now: the palette and the body's font family. */
export function readTheme(): Theme {
  return { palette: readPalette(), font: getComputedStyle(document.body).fontFamily || 'sans-serif' };
}
