/** Markdown-escapes user text (run names, messages) for MarkdownString tooltips. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
