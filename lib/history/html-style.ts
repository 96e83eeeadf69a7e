/** The report's only stylesheet: system fonts, state colours with marks beside them, a timeline that scrolls sideways, print rules. */
export const REPORT_CSS = `
:root { --ok: #2e7d32; --failed: #c62828; --cancelled: #e65100; --skipped: #9e9e9e; --uptodate: #1565c0; --ink: #1b1b1b; --muted: #5f6368; --line: #dadce0; }
* { box-sizing: border-box; }
body { margin: 0; padding: 16px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.35rem; margin: 0 0 8px; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 24px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; list-style: none; margin: 8px 0; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 2px; }
.swatch.wait { background: repeating-linear-gradient(45deg, #f1f3f4 0 3px, #9aa0a6 3px 4px); }
.swatch.critical { border: 2px solid var(--ink); background: #fff; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; border: 1px solid var(--line); border-radius: 4px; }
svg text { font: 12px system-ui, sans-serif; dominant-baseline: middle; fill: var(--ink); }
.timeline .label { text-anchor: end; }
.timeline .took { fill: var(--muted); font-size: 11px; }
.axis line { stroke: #eceff1; }
.axis text { fill: var(--muted); font-size: 10px; text-anchor: middle; }
.wait { fill: url(#hatch); }
.wait-bg { fill: #f1f3f4; }
.wait-line { stroke: #9aa0a6; stroke-width: 2; }
.s-ok .bar, .s-ok rect, .swatch.s-ok { fill: var(--ok); background: var(--ok); }
.s-failed .bar, .s-failed rect, .swatch.s-failed { fill: var(--failed); background: var(--failed); }
.s-cancelled .bar, .s-cancelled rect, .swatch.s-cancelled { fill: var(--cancelled); background: var(--cancelled); }
.s-skipped .bar, .s-skipped rect, .swatch.s-skipped { fill: var(--skipped); background: var(--skipped); }
.s-up-to-date .bar, .s-up-to-date rect, .swatch.s-up-to-date { fill: var(--uptodate); background: var(--uptodate); }
.timeline .wait { fill: url(#hatch); }
.critical .bar, .node.critical rect { stroke: var(--ink); stroke-width: 2; }
.critical .label { font-weight: 700; }
.node text { fill: #fff; font-size: 11px; }
.edge { fill: none; stroke: #b0b7bf; stroke-width: 1; }
.edge.critical { stroke: var(--ink); stroke-width: 2; }
.failure { margin: 12px 0; }
.failure h3 { margin: 0 0 4px; font-size: 1rem; }
.failure pre { margin: 0; padding: 8px; background: #f8f9fa; border: 1px solid var(--line); border-radius: 4px; overflow-x: auto; white-space: pre; font-size: 12px; max-height: 32em; }
table.tasks { border-collapse: collapse; width: 100%; font-size: 13px; }
table.tasks th, table.tasks td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.tasks td.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
.muted { color: var(--muted); }
@media (max-width: 600px) { body { padding: 8px; } dl.facts { grid-template-columns: 1fr; } dl.facts dt { margin-top: 4px; } }
@media print {
  body { padding: 0; font-size: 11px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll, .table-wrap { overflow: visible; border: none; }
  svg { max-width: 100%; height: auto; }
  .failure pre { max-height: none; white-space: pre-wrap; overflow-wrap: anywhere; }
  h2 { break-after: avoid; }
  tr, .failure { break-inside: avoid; }
}
`;
