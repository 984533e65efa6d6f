/** The host of a standalone report: answers `ready` and `requestBatch` from the embedded data. */
import { recordAt } from '../../src/shared/batchColumns';
import {
  WEBVIEW_PROTOCOL_VERSION,
  type BatchDetail,
  type LayerNorms,
  type LayerTensors,
  type ToWebview,
} from '../../src/shared/channels/webviewChannel';
import { hiddenRowsIn } from '../../src/shared/runFormat';
import { INITIAL_CARRIED, INITIAL_STORED, type RunReportPayload } from '../../src/shared/reportPayload';
import type { UiState } from '../state/uiState';
import type { HostApi } from './hostApi';

/** Serves a report's embedded snapshot and batch details as if a panel host had sent them. */
export function reportHost(data: RunReportPayload): HostApi<UiState> {
  const listeners: Array<(message: ToWebview) => void> = [];
  let state: UiState | undefined;
  const details = new ReportDetails(data);
  // Answers are delivered asynchronously, like real messages, so the app sees the same ordering.
  const send = (message: ToWebview) => queueMicrotask(() => listeners.forEach((listener) => listener(message)));
  return {
    mode: 'report',
    post(message) {
      if (message.type === 'ready')
        send({
          type: 'snapshot',
          protocolVersion: WEBVIEW_PROTOCOL_VERSION,
          snapshot: data.snapshot,
          columns: data.columns,
        });
      else if (message.type === 'requestBatch') {
        const detail = details.detail(message.step);
        if (detail) send({ type: 'batchDetail', inReplyTo: message.requestId, detail });
        else
          send({
            type: 'error',
            inReplyTo: message.requestId,
            message: data.note ?? `batch ${message.step} is not embedded in this report`,
          });
      }
    },
    onMessage: (listener) => listeners.push(listener),
    getState: () => state,
    setState: (next) => (state = next),
  };
}

/** Binary search in ascending steps. */
function indexOf(steps: Int32Array, step: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] === step) return mid;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Rebuilds batch details from the embedded arrays: initial states left out are zeros or the source's final rows. */
export class ReportDetails {
  private readonly finals = new Map<number, LayerTensors[]>();

  constructor(private readonly data: RunReportPayload) {}

  detail(step: number): BatchDetail | undefined {
    const found = this.find(step);
    return found && this.data.note ? { ...found, note: this.data.note } : found;
  }

  private find(step: number): BatchDetail | undefined {
    const { manifest } = this.data.snapshot;
    const layers = this.tensorsOf(step);
    const record = recordAt(this.data.columns, step);
    if (layers) return { step, record, layers, norms: layers.map(normsOf), hidden: this.hiddenOf(step), next: null };
    const { norms } = this.data;
    const k = indexOf(norms.steps, step);
    if (k < 0) return undefined;
    const r = norms.rowCount[k];
    const cells = manifest.model.states.includes('c') ? 4 : 2;
    let at = norms.offset[k];
    const take = (n: number) => norms.values.subarray(at, (at += n));
    return {
      step,
      record,
      layers: manifest.model.layers.map(() => null),
      norms: manifest.model.layers.map(() => {
        const [h0, c0, h, c] =
          cells === 4 ? [take(r), take(r), take(r), take(r)] : [take(r), take(0), take(r), take(0)];
        return { h0, c0, h, c };
      }),
      hidden: null,
      next: null,
    };
  }

  private tensorsOf(step: number): LayerTensors[] | undefined {
    const known = this.finals.get(step);
    if (known) return known;
    const { tensors, snapshot, columns } = this.data;
    const k = indexOf(tensors.steps, step);
    if (k < 0) return undefined;
    const { layers: shapes, states } = snapshot.manifest.model;
    const hasCell = states.includes('c');
    const r = tensors.rowCount[k];
    const mode = tensors.initial[k];
    let at = tensors.offset[k];
    const take = (n: number) => tensors.values.subarray(at, (at += n));
    const source = mode === INITIAL_CARRIED ? this.tensorsOf(columns.carriedFrom[step]) : undefined;
    const rowSources = columns.detail?.rowSources[step];
    const layers = shapes.map((shape, l): LayerTensors => {
      const U = shape.units;
      const C = hasCell ? shape.cellUnits : 0;
      let h0: Float32Array;
      let c0: Float32Array;
      if (mode === INITIAL_STORED) {
        h0 = take(r * U);
        c0 = take(r * C);
      } else {
        h0 = new Float32Array(r * U);
        c0 = new Float32Array(r * C);
        if (source) {
          for (let i = 0; i < r; i++) {
            const from = rowSources ? (rowSources[i] ?? i) : i;
            h0.set(source[l].h.slice(from * U, (from + 1) * U), i * U);
            c0.set(source[l].c.slice(from * C, (from + 1) * C), i * C);
          }
        }
      }
      return { units: U, h0, c0, h: take(r * U), c: take(r * C) };
    });
    this.finals.set(step, layers);
    return layers;
  }

  private hiddenOf(step: number): BatchDetail['hidden'] {
    const { tensors, snapshot, columns } = this.data;
    const k = indexOf(tensors.steps, step);
    if (k < 0 || tensors.hiddenOffset[k] < 0) return null;
    const { hiddenRows, hiddenLayers, model } = snapshot.manifest;
    const kept = hiddenRowsIn(hiddenRows, columns.rowCount[step]);
    const r = tensors.rowCount[k];
    let shown = 0;
    while (shown < kept.length && kept[shown] < r) shown++;
    const rows = kept.slice(0, shown);
    const timesteps = tensors.hiddenTimesteps[k];
    let at = tensors.hiddenOffset[k];
    const blocks = hiddenLayers.map((layer) =>
      tensors.hidden.subarray(at, (at += shown * timesteps * model.layers[layer].units)),
    );
    return model.layers.map((_, layer) => {
      const i = hiddenLayers.indexOf(layer);
      return i < 0 || !rows.length ? null : { rows, timesteps, values: blocks[i] };
    });
  }
}

/** Per-row L2 norms of embedded tensors. */
function normsOf(layer: LayerTensors): LayerNorms {
  const rowNorms = (values: ArrayLike<number>, units: number) => {
    const rows = units ? values.length / units : 0;
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let u = 0; u < units; u++) sum += values[r * units + u] ** 2;
      out[r] = Math.sqrt(sum);
    }
    return out;
  };
  const cellUnits = layer.h.length ? (layer.c.length / layer.h.length) * layer.units : 0;
  return {
    h0: rowNorms(layer.h0, layer.units),
    c0: rowNorms(layer.c0, cellUnits),
    h: rowNorms(layer.h, layer.units),
    c: rowNorms(layer.c, cellUnits),
  };
}
