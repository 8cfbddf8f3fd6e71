/** The report's whole stylesheet, inlined: the page loads nothing. System fonts only. */
export const REPORT_CSS = `
:root{--fg:#1d2330;--muted:#6b7385;--line:#dde2ea;--bg:#fff;--soft:#f5f7fa;--good:#12804a;--bad:#c62828;--warn:#a86200;--accent:#2f6fdf}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px 32px 48px}
h1{font-size:24px;margin:0 0 12px}
h2{font-size:18px;margin:32px 0 10px;padding-top:8px;border-top:1px solid var(--line)}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:1px 4px;border-radius:3px}
.muted{color:var(--muted);font-weight:normal}
.good{color:var(--good)}
.bad{color:var(--bad)}
.warn{color:var(--warn)}
.banner{padding:8px 12px;border:1px solid currentColor;border-radius:4px;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:0 0 10px}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
.method{max-width:900px;color:var(--muted);border-left:3px solid var(--line);padding-left:10px;margin:8px 0 0}
.pick{font-size:16px;margin:4px 0 12px}
.pick strong{color:var(--accent)}
table{border-collapse:collapse;margin:6px 0 8px}
th,td{padding:5px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{font-weight:600;color:var(--muted);font-size:12.5px;border-bottom:2px solid var(--line);white-space:nowrap}
tbody th{font-weight:600;white-space:nowrap}
.wide{overflow-x:auto}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.strong{font-weight:700}
tr.picked{background:#eef4ff}
.tag{display:inline-block;font-size:11.5px;background:#e8edf6;color:#334;border-radius:9px;padding:0 7px;margin:1px 2px 1px 0;font-weight:normal}
.chart{max-width:100%;height:auto;display:block}
.chart .grid{stroke:#edf0f4}
.chart .axis{stroke:#8a93a3}
.chart .tick{font-size:11px;fill:var(--muted)}
.chart .axis-title{font-size:12px;fill:var(--muted)}
.chart .point-label{font-size:12.5px;fill:var(--fg);font-weight:600}
.chart .model-point{stroke:#fff;stroke-width:1.5}
.chart .router-point{fill:#1d2330;stroke:#fff;stroke-width:1.5}
.chart .pick-ring{fill:none;stroke:var(--accent);stroke-width:2;stroke-dasharray:3 2}
.legend,.not-scored{color:var(--muted);font-size:12.5px;margin:4px 0}
.not-scored{color:var(--warn)}
.bar-cell{width:320px;min-width:160px;vertical-align:middle}
.latency-bar{position:relative;height:14px;background:var(--soft);border-radius:2px}
.latency-bar span{position:absolute;left:0;top:0;bottom:0;border-radius:2px}
.p99{background:#c9d7f3}.p95{background:#86a6e6}.p50{background:#2f6fdf}
.key{display:inline-block;width:10px;height:10px;border-radius:2px;vertical-align:-1px}
.cost-bar{height:12px;background:#86a6e6;border-radius:2px;min-width:1px}
table.router th{color:var(--muted);font-weight:normal;width:200px}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:4px}
table.answers{margin:0;table-layout:fixed;width:100%}
table.answers th,table.answers td{border-right:1px solid var(--line)}
table.answers .case-col{width:240px;white-space:normal;background:var(--soft);position:sticky;left:0;z-index:1}
table.answers thead th{position:sticky;top:0;background:var(--bg);z-index:2}
table.answers thead th.case-col{z-index:3;background:var(--soft)}
.case-id{font:600 13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin-bottom:2px}
.label{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin-top:6px;font-weight:600}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-weight:normal;display:block}
details.long summary{list-style:none;cursor:pointer}
details.long summary::-webkit-details-marker{display:none}
.more{color:var(--accent);white-space:nowrap}
details[open] .more{display:none}
.verdict{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:baseline;margin-bottom:4px}
.score{font-weight:700;padding:0 6px;border-radius:3px;color:#fff;background:hsl(calc(var(--score) * 120) 60% 38%)}
.pass{color:var(--good);font-weight:600}
.fail{color:var(--bad);font-weight:600}
.run-facts{color:var(--muted);font-size:12px}
.reused{background:#efe6fb;color:#5b3a99;border-radius:3px;padding:0 5px}
.error{color:var(--bad);font-weight:600;margin:2px 0 4px;overflow-wrap:anywhere}
.unjudged{color:var(--warn);margin:2px 0 4px}
`;
