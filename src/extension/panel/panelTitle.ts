/** Tab titles that tell runs apart: two runs of one config differ in their start time. */
import type { RunManifest } from '../../shared/runFormat';

/** "LSTM: seed-stateful (2026-11-30 16:35:22)", the start in local time. */
export function panelTitle(manifest: Pick<RunManifest, 'name' | 'createdAt'>): string {
  const t = new Date(manifest.createdAt);
  if (Number.isNaN(t.getTime())) return `LSTM: ${manifest.name}`;
  const p = (n: number) => String(n).padStart(2, '0');
  const when = `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
  return `LSTM: ${manifest.name} (${when})`;
}
