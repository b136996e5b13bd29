// The one table the benchmark run prints: a Markdown table (pasted as is into bench/RESULTS.md).

export const COLUMNS = [
  ['id', 'id'],
  ['figure', 'figure'],
  ['budget', 'budget'],
  ['measured', 'measured (median, min–max)'],
  ['baseline', 'baseline, same run (median, min–max)'],
  ['ratio', 'ratio'],
  ['result', 'result'],
];

const cell = (value) => String(value ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Renders `rows` (objects keyed by the COLUMNS keys) as a Markdown table with aligned columns. */
export function renderTable(rows) {
  const header = COLUMNS.map(([, title]) => title);
  const body = rows.map((row) => COLUMNS.map(([key]) => cell(row[key])));
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
