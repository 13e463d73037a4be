import { LIVE_AUDITORS } from '../../providers/live.js';
import { INPUT_FORMATS } from './input-formats.js';

// The tables of docs/architecture.md that list what the registries hold, generated from them so that
// a format or provider cannot be added without appearing there (`npm run docs`; a test compares).

/** A generated block of a Markdown file: its name and its text. */
export interface GeneratedBlock {
  readonly name: string;
  readonly text: string;
}

/** The input formats, their detectors and adapters, and the live providers, as Markdown tables. */
export function registryTables(): GeneratedBlock[] {
  const formats = [
    '| Format | Reads | Recognised as | Adapters (clouds) |',
    '| --- | --- | --- | --- |',
    ...INPUT_FORMATS.map((format) => `| \`${format.name}\` | ${format.description} | ${format.detectors.map((detector) => `\`${detector.kind}\`: ${detector.label}`).join('; ')} | ${format.adapters.map((adapter) => adapter.provider).join(', ') || 'none: nothing is checked'} |`),
  ].join('\n');
  const providers = [
    '| Provider | Audits | Its own options |',
    '| --- | --- | --- |',
    ...Object.values(LIVE_AUDITORS).map((auditor) => `| \`gatewarden audit ${auditor.name}\` | ${auditor.summary} | ${auditor.options.map((option) => `\`--${option.name}\``).join(', ')} |`),
  ].join('\n');
  return [
    { name: 'input-formats', text: formats },
    { name: 'live-providers', text: providers },
  ];
}

/** Replaces each `<!-- generated:NAME -->` … `<!-- /generated:NAME -->` block of a Markdown text. */
export function withGeneratedBlocks(markdown: string, blocks: readonly GeneratedBlock[]): string {
  let text = markdown;
  for (const block of blocks) {
    const start = `<!-- generated:${block.name} -->`;
    const end = `<!-- /generated:${block.name} -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`the block ${block.name} (${start} … ${end}) is missing`);
    text = `${text.slice(0, from + start.length)}\n${block.text}\n${text.slice(to)}`;
  }
  return text;
}
