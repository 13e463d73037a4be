import type { HistoryReport } from './analyse.js';

/** The formats of `gatewarden report`. */
export type HistoryFormat = 'markdown' | 'json' | 'html';

/** Every format, the default first; listed without loading a renderer. */
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['markdown', 'json', 'html'];

/** True for a name of {@link HISTORY_FORMATS}. */
export function isHistoryFormat(name: string): name is HistoryFormat {
  return (HISTORY_FORMATS as readonly string[]).includes(name);
}

/** The renderer of a format, loaded when a report asks for it. */
export async function loadHistoryRenderer(format: HistoryFormat): Promise<(report: HistoryReport) => string> {
  switch (format) {
    case 'markdown':
      return (await import('./render-markdown.js')).renderHistoryMarkdown;
    case 'json':
      return (await import('./render-json.js')).renderHistoryJson;
    case 'html':
      return (await import('./render-html.js')).renderHistoryHtml;
  }
}
