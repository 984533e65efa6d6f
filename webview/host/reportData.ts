/** Reads the data a standalone report embeds: JSON, and its arrays as gzip-compressed bytes in base64 (src/report/renderReport.ts). */
import { unpackArrays } from '../../src/shared/packedData';
import type { ReportPayload } from '../../src/shared/reportPayload';

/** The embedded report, or undefined in a VS Code panel; rejects with a message the page can show. */
export async function readEmbeddedReport(doc: Document = document): Promise<ReportPayload | undefined> {
  const data = doc.getElementById('lstm-report-data');
  const arrays = doc.getElementById('lstm-report-arrays');
  if (!data || !arrays) return undefined;
  if (typeof DecompressionStream === 'undefined')
    throw new Error(
      'This report keeps its numbers compressed and needs a browser that can decompress them (DecompressionStream: Chrome 80, Firefox 113, Safari 16.4 or later).',
    );
  const text = (arrays.textContent ?? '').trim();
  const compressed = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream('gzip'));
  const buffer = await new Response(stream).arrayBuffer();
  return unpackArrays<ReportPayload>(JSON.parse(data.textContent ?? 'null'), buffer);
}
