/** Entry of the webview bundle: in a VS Code panel, or standalone when a report embeds its data. */
import 'uplot/dist/uPlot.min.css';
import '../media/timeline.css';
import { App } from './app';
import { vscodeHost } from './host/hostApi';
import { reportHost } from './host/reportHost';

const report = window.__LSTM_REPORT__;
const host = report ? reportHost(report) : vscodeHost();
new App(host, document.getElementById('root') ?? document.body).start();
