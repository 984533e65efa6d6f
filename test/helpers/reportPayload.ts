/** Reads back what a standalone HTML report embeds: its JSON and its gzip+base64 arrays, as the page decodes them. */
import { gunzipSync } from 'zlib';
import { unpackArrays } from '../../src/shared/packedData';
import type { ReportPayload } from '../../src/shared/reportPayload';

/** The payload of a report or comparison page (the HTML text of the file). */
export function reportPayloadOf(html: string): ReportPayload {
  const json = /<script type="application\/json" id="lstm-report-data">(.*?)<\/script>/s.exec(html);
  const blob =
    /<script type="application\/octet-stream" id="lstm-report-arrays" data-encoding="gzip\+base64">([A-Za-z0-9+/=]*)<\/script>/.exec(
      html,
    );
  if (!json || !blob) throw new Error('not a report page: no lstm-report-data or lstm-report-arrays script');
  const bytes = gunzipSync(Buffer.from(blob[1], 'base64'));
  // A fresh, 8-byte aligned buffer as unpackArrays needs.
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return unpackArrays<ReportPayload>(JSON.parse(json[1]), buffer);
}
