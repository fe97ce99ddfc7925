/**
 * A report as a list of blocks (headings, paragraphs, tables, charts), rendered to one
 * self-contained HTML page (inline SVG and CSS, no scripts, no network) and to Markdown
 * (charts as SVG files next to it).
 */

export interface Chart {
  /** File name stem and SVG id suffix. */
  readonly id: string;
  readonly title: string;
  readonly svg: string;
  /** What the chart shows and how to read it. */
  readonly caption: string;
}

export interface Table {
  readonly head: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
  /** Columns aligned right (numbers). */
  readonly numeric?: readonly boolean[];
}

export type Block =
  | { readonly kind: 'heading'; readonly text: string; readonly level?: 2 | 3 }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'table'; readonly table: Table }
  | { readonly kind: 'chart'; readonly chart: Chart };

export interface Report {
  readonly title: string;
  readonly blocks: readonly Block[];
}

export function charts(r: Report): Chart[] {
  return r.blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : []));
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `code` spans in otherwise plain text. */
function inline(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const CSS = `
body { font-family: Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; } h3 { margin-top: 1.4em; }
/* A table wider than the page (a DSE front with every parameter) scrolls inside its box instead of being cut off. */
.table-wrap { overflow-x: auto; max-width: 100%; margin: 0.8em 0; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 3px 8px; } th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.2em 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #555; margin-top: 0.3em; }
code { background: #f4f4f4; padding: 0 3px; }
`;

export function renderHtml(r: Report): string {
  const body: string[] = [`<h1>${esc(r.title)}</h1>`];
  for (const b of r.blocks) {
    if (b.kind === 'heading') body.push(`<h${b.level ?? 2}>${esc(b.text)}</h${b.level ?? 2}>`);
    else if (b.kind === 'text') body.push(`<p>${inline(b.text)}</p>`);
    else if (b.kind === 'table') {
      const t = b.table;
      const cls = (i: number): string => (t.numeric?.[i] ? ' class="num"' : '');
      body.push('<div class="table-wrap"><table>', `<tr>${t.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`);
      for (const row of t.rows) body.push(`<tr>${row.map((c, i) => `<td${cls(i)}>${inline(String(c))}</td>`).join('')}</tr>`);
      body.push('</table></div>');
    } else {
      body.push(`<figure id="fig-${esc(b.chart.id)}">`, b.chart.svg, `<figcaption>${inline(b.chart.caption)}</figcaption>`, '</figure>');
    }
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function mdCell(s: string | number): string {
  return String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Markdown with charts referenced as `<chartDir>/<id>.svg`. */
export function renderMarkdown(r: Report, chartDir = 'charts'): string {
  const out: string[] = [`# ${r.title}`, ''];
  for (const b of r.blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level ?? 2)} ${b.text}`, '');
    else if (b.kind === 'text') out.push(b.text, '');
    else if (b.kind === 'table') {
      const t = b.table;
      out.push(`| ${t.head.map(mdCell).join(' | ')} |`, `|${t.head.map((_, i) => (t.numeric?.[i] ? '---:' : '---')).join('|')}|`);
      for (const row of t.rows) out.push(`| ${row.map(mdCell).join(' | ')} |`);
      out.push('');
    } else {
      out.push(`![${b.chart.title}](${chartDir}/${b.chart.id}.svg)`, '', `*${b.chart.caption}*`, '');
    }
  }
  return out.join('\n');
}
