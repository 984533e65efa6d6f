/** The HTML page around the timeline app, shared by the webview panel and the standalone report. */

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface PageParts {
  /** The Content-Security-Policy (nonce- or hash-based). */
  csp: string;
  title: string;
  /** Extra head elements: the stylesheet link or inline style. */
  head: string;
  /** Scripts after the app's root element. */
  scripts: string;
  bodyClass?: string;
  /** Which app the bundle starts (`data-view` of the body): the timeline (default) or a comparison. */
  view?: 'timeline' | 'compare';
}

/** A page whose `#root` the webview bundle renders into. */
export function appPage({ csp, title, head, scripts, bodyClass, view }: PageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
${head}
</head>
<body${bodyClass ? ` class="${bodyClass}"` : ''}${view ? ` data-view="${view}"` : ''}>
<div id="root"></div>
${scripts}
</body>
</html>
`;
}
