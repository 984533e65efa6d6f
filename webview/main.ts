/** Entry of the webview bundle: in a VS Code panel, or standalone when a report embeds its data. */
import 'uplot/dist/uPlot.min.css';
import '../media/timeline.css';
import { reportHost } from './host/reportHost';
import { vscodeHost } from './host/vscodeHost';
import { startPanel } from './panel';

const report = window.__LSTM_REPORT__;
startPanel(report ? reportHost(report) : vscodeHost(), document.getElementById('root') ?? document.body);
