/** The panel's HTML: strict CSP with a script nonce, every asset through `asWebviewUri`. */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { appPage } from '../../shared/htmlPage';

/** The folders a timeline webview may load from. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** A fresh nonce per page load, so no injected script can run. */
export function makeNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

/** The page that loads dist/webview.js and dist/webview.css. */
export function panelHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  title: string,
  nonce = makeNonce(),
  view: 'timeline' | 'compare' = 'timeline',
): string {
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return appPage({
    csp,
    title,
    head: `<link rel="stylesheet" href="${asset('webview.css')}">`,
    scripts: `<script nonce="${nonce}" src="${asset('webview.js')}"></script>`,
    view,
  });
}
