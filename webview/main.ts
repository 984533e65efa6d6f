/** Entry of the webview bundle: in a VS Code panel, or standalone when a report embeds its data. */
import 'uplot/dist/uPlot.min.css';
import '../media/timeline.css';
import { readKeptComparison } from '../src/shared/channels/keptComparison';
import { startComparison } from './compare/comparePage';
import { compareReportHost } from './host/compareHost';
import { readEmbeddedReport } from './host/reportData';
import { reportHost } from './host/reportHost';
import { vscodeHost } from './host/vscodeHost';
import { startPanel } from './panel';
import { readUiState } from './state/uiState';

const root = document.getElementById('root') ?? document.body;

readEmbeddedReport().then(
  (report) => {
    if (!report) {
      // A VS Code panel: the page says which view it is.
      if (document.body.dataset.view === 'compare') startComparison(vscodeHost(readKeptComparison), root);
      else startPanel(vscodeHost(readUiState), root);
    } else if (report.kind === 'compare') startComparison(compareReportHost(report), root);
    else startPanel(reportHost(report), root);
  },
  (error: unknown) => {
    root.textContent = error instanceof Error ? error.message : String(error);
    root.className = 'error';
  },
);
