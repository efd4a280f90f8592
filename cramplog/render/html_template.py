"""The fixed parts of the HTML report: the style sheet and the page frame.

No script and no external resource: the Content-Security-Policy below forbids both, so even
a name that slipped through escaping could not run or fetch anything.
"""

from __future__ import annotations

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
:root{--ink:#1d2430;--muted:#5d6877;--line:#d7dce3;--bg:#fff;--panel:#f7f8fa;
--info:#4c78a8;--caution:#e8a317;--warning:#d62728;--cramp:#7b2cbf}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:var(--bg);margin:0 auto;max-width:1040px;padding:16px 24px 48px}
h1{font-size:1.6em;margin:.4em 0 .1em}h2{font-size:1.35em;margin:1.6em 0 .3em;
border-bottom:2px solid var(--line);padding-bottom:.2em}h3{font-size:1.05em;margin:1.3em 0 .3em}
p.lead,.muted{color:var(--muted)}
a{color:#1f5fa8}
nav.toc a{margin-right:.9em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;font-size:.92em}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 .45em;border-radius:.6em;font-size:.85em;color:#fff;
white-space:nowrap}
.badge.sev-info{background:var(--info)}.badge.sev-caution{background:var(--caution);color:#222}
.badge.sev-warning{background:var(--warning)}.badge.sev-ok{background:#2ca02c}
.badge.sev-unknown{background:#999}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:.6em 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:6px 12px;
min-width:120px}.card b{display:block;font-size:1.3em}
figure{margin:.8em 0 1.2em}figcaption{font-weight:600;margin-bottom:2px}
figure p.note{margin:.1em 0;color:var(--muted);font-size:.88em}
svg.chart{width:100%;height:auto;display:block;background:#fff}
svg .grid line{stroke:#eceff3;stroke-width:1}
svg .axis line{stroke:#9aa3ae;stroke-width:1}
svg .axis line.row{stroke:#eceff3}
svg text{font:11px system-ui,sans-serif;fill:#4a5462}
svg text.unit{font-weight:600}
svg line.zero{stroke:#6c7683;stroke-dasharray:2 2}
svg .series.line{fill:none;stroke-width:1.8}
svg .series.line.dashed{stroke-dasharray:5 3;stroke-width:1.3}
svg .band.sweet{fill:#2ca02c;opacity:.12}
svg .band.caution{fill:var(--caution);opacity:.16}
svg .band.warning{fill:var(--warning);opacity:.14}
svg .s-load rect{fill:#b9c9de}svg .s-ctl{stroke:#1f77b4}svg .s-atl{stroke:#ff7f0e}
svg .s-tsb{stroke:#2ca02c}svg .s-acwr{stroke:#333}svg .s-acwr-rolling{stroke:#8c564b}
svg .s-km rect{fill:#9ecae1}svg .s-long circle{fill:#08519c}
svg .s-descent rect{fill:#c7b299}svg .s-e10 circle{fill:#7f3b08}
svg path.s-descent{stroke:#b59a7a}svg path.s-e10{stroke:#7f3b08}
svg .s-heat rect{fill:#f4a582}svg .s-acclim{stroke:#b2182b}
svg .s-temp circle{fill:#fdae61;stroke:#d6604d;stroke-width:.6}
svg .s-monotony{stroke:#6a51a3}
svg .cramp-marker line{stroke:var(--cramp);stroke-width:1.4;stroke-dasharray:3 2}
svg .cramp-marker path{fill:var(--cramp)}
svg rect.finding{stroke:#fff;stroke-width:.5}
svg rect.finding.sev-info{fill:var(--info)}svg rect.finding.sev-caution{fill:var(--caution)}
svg rect.finding.sev-warning{fill:var(--warning)}
svg .meter-row .track{fill:#eceff3}svg .meter-row .fill{fill:#2ca02c}
svg .meter-row.status-flag .fill{fill:var(--caution)}
svg .meter-row.status-warning .fill{fill:var(--warning)}
svg line.target{stroke:#333;stroke-dasharray:4 3}
ul.legend{list-style:none;padding:0;margin:2px 0 0;font-size:.85em;color:var(--muted)}
ul.legend li{display:inline-block;margin-right:1.1em}
ul.legend i{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}
i.k-load{background:#b9c9de}i.k-ctl{background:#1f77b4}i.k-atl{background:#ff7f0e}
i.k-tsb{background:#2ca02c}i.k-acwr{background:#333}i.k-acwr-rolling{background:#8c564b}
i.k-sweet{background:#d5ecd5}i.k-caution{background:#fbe7bd}i.k-warning{background:#f6cfcf}
i.k-km{background:#9ecae1}i.k-long{background:#08519c;border-radius:50%;width:10px}
i.k-descent{background:#c7b299}i.k-e10{background:#7f3b08;border-radius:50%;width:10px}
i.k-heat{background:#f4a582}i.k-acclim{background:#b2182b}
i.k-temp{background:#fdae61;border-radius:50%;width:10px}i.k-monotony{background:#6a51a3}
i.k-cramp{background:var(--cramp);width:3px}
i.k-sev-info{background:var(--info)}i.k-sev-caution{background:var(--caution)}
i.k-sev-warning{background:var(--warning)}
section.athlete{margin-top:2.2em}
tr:target{background:#fff6d6}
dl.evidence{margin:0;display:grid;grid-template-columns:max-content auto;gap:0 .8em;
font-size:.88em}dl.evidence dt{color:var(--muted)}dl.evidence dd{margin:0}
footer.disclaimer{margin-top:3em;padding:12px 16px;background:var(--panel);
border-left:4px solid var(--warning);border-radius:4px}
footer.disclaimer h2{border:0;margin-top:.2em}
@media print{svg.chart{break-inside:avoid}section.athlete{break-before:page}}
"""


def page(title: str, body: str) -> str:
    """The whole document; ``title`` must already be escaped."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="cramplog">\n'
        f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
