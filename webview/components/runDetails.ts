/** The run's details: writer, backend, versions, start and end, duration, batches per second, and the config or script. */
import { html, nothing } from 'lit';
import { fmt } from '../numbers/format';
import type { RunModel } from '../state/runModel';

/** "1 h 2 min 3 s", "4.2 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Number(seconds.toPrecision(3))} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [h ? `${h} h` : '', m ? `${m} min` : '', `${s % 60} s`].filter(Boolean).join(' ');
}

/** The timing facts of a run: start, end, duration (end − start; until now while live) and batches per second. */
export function runTiming(run: RunModel, now = Date.now()) {
  const started = run.manifest ? Date.parse(run.manifest.createdAt) : Number.NaN;
  const ended = run.endedAt ? Date.parse(run.endedAt) : Number.NaN;
  const until = Number.isFinite(ended) ? ended : run.live ? now : Number.NaN;
  const seconds = (until - started) / 1000;
  return {
    started: Number.isFinite(started) ? new Date(started).toLocaleString() : '—',
    ended: Number.isFinite(ended) ? new Date(ended).toLocaleString() : run.live ? 'still running' : '—',
    seconds,
    perSecond: seconds > 0 ? run.length / seconds : Number.NaN,
    batchSeconds: run.length ? run.elapsed[run.length - 1] : 0,
  };
}

/** A collapsed <details> with the facts; the config as resolved (or as written), or the recorded script. */
export function runDetailsTemplate(run: RunModel) {
  const m = run.manifest;
  if (!m) return nothing;
  const t = runTiming(run);
  const versions = Object.entries(m.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const config = m.resolved ?? m.config;
  const row = (label: string, value: unknown, testId?: string) =>
    html`<dt>${label}</dt>
      <dd data-testid=${testId ?? nothing}>${value}</dd>`;
  return html`<details class="run-details" data-testid="run-details">
    <summary>Run details</summary>
    <dl>
      ${row('run folder', m.runId)} ${row('writer', `${m.writer.name} ${m.writer.version}`, 'detail-writer')}
      ${row('backend', m.backend, 'detail-backend')} ${row('versions', versions, 'detail-versions')}
      ${row('model', `${m.model.kind.toUpperCase()}, ${m.model.layers.map((l) => `${l.name}: ${l.units} units`).join('; ')}, ${m.model.totalParams} parameters`)}
      ${row('data', m.data.source)} ${row('started', t.started, 'detail-started')}
      ${row('ended', t.ended, 'detail-ended')} ${row('duration', formatDuration(t.seconds), 'detail-duration')}
      ${row('batches per second', Number.isFinite(t.perSecond) ? fmt(t.perSecond, 3) : '—', 'detail-rate')}
      ${row('time in batches', formatDuration(t.batchSeconds))}
      ${m.script ? row('script', `${m.script.path} ${m.script.argv.join(' ')} (module ${m.script.module}, in ${m.script.cwd})`) : nothing}
    </dl>
    ${
      config
        ? html`<h3>${m.resolved ? 'Config as resolved (every default filled in)' : 'Config as written'}</h3>
            <pre class="config" data-testid="detail-config">${JSON.stringify(config, null, 2)}</pre>`
        : nothing
    }
  </details>`;
}
