import { CHART_FONT } from './charts/render-svg.js';
import { escapeHtml } from './format-fr.js';

/**
 * The HTML shell: one self-contained file (issue 6: it opens with no network access), so the style is inline,
 * there is no script, no web font, no external image. The Content-Security-Policy makes the browser refuse
 * any load anyway, should a future change slip one in.
 */
const STYLE = `
:root { color-scheme: light; }
body { font-family: ${CHART_FONT}; margin: 0; color: #1b1b1b; background: #f6f6f4; line-height: 1.45; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; background: white; }
header { border-bottom: 3px solid #1f5fa8; margin-bottom: 16px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 12px; color: #143d6b; }
h3 { font-size: 1.05rem; margin: 20px 0 8px; }
.subtitle { color: #555; margin: 0 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px; }
.card { border: 1px solid #dcdcdc; border-radius: 6px; padding: 12px 14px; background: #fbfbfb; }
.card-label { font-size: 0.9rem; color: #444; }
.card-value { font-size: 1.6rem; font-weight: 600; margin: 4px 0; color: #143d6b; }
.card-note { font-size: 0.85rem; color: #555; }
.in-brief { max-width: 820px; font-size: 1rem; margin: 0 0 14px; }
ul.notes { font-size: 0.85rem; color: #444; max-width: 820px; margin: 0 0 16px; padding-left: 18px; }
figure.chart { margin: 0 0 24px; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: #444; max-width: 760px; }
.secret-note { font-style: italic; color: #555; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85rem; margin-bottom: 12px; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 4px 6px; text-align: right; white-space: nowrap; }
thead th { white-space: normal; vertical-align: bottom; min-width: 64px; max-width: 110px; background: #f0f3f7; }
th[scope="row"] { text-align: left; font-weight: normal; }
tr.national th, tr.national td { font-weight: 600; }
tr.secret td { text-align: center; font-style: italic; color: #666; }
table.rejections th:nth-child(2), table.rejections td:nth-child(2) { text-align: left; white-space: normal; }
thead th:first-child { text-align: left; }
.card-value .unit { font-size: 1rem; font-weight: normal; margin-left: 4px; }
footer { margin-top: 32px; font-size: 0.85rem; color: #555; }
.card-value.secret { font-size: 1.1rem; font-style: italic; font-weight: normal; color: #555; }
@media print {
  body { background: white; }
  main { max-width: none; padding: 0; }
  figure.chart, .card, tr { break-inside: avoid; }
}
`;

export function renderPage(title: string, subtitle: string, sections: string[], footer: string): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(title)}</h1><p class="subtitle">${escapeHtml(subtitle)}</p></header>
${sections.join('\n')}
<footer>${footer}</footer>
</main>
</body>
</html>
`;
}
