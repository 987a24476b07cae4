/**
 * The report as one self-contained HTML page: no network access, opens from disk. Each figure is
 * first shown as its static SVG (so the page works without JavaScript or in old browsers); when
 * the embedded, gzip-compressed plotly.js inflates (DecompressionStream), the figures become
 * interactive. The numbers of every figure are embedded as JSON (`#rnnscope-numbers`), equal to
 * the report's JSON file.
 */
import { formatNumber } from '../io/json-text.js';
import { reportFigures, reportNumbers, type ReportDocument } from './document.js';
import { esc } from './svg/marks.js';
import { renderSvg } from './svg/render.js';

export interface HtmlOptions {
  /** gzip+base64 plotly.min.js (`loadPlotlyAsset()`); null writes a static-only page. */
  plotly: { gzipBase64: string; version: string } | null;
  /** Pre-rendered SVG per figure id (default: rendered here). */
  svgs?: Record<string, string>;
}

/**
 * JSON without whitespace, numbers written exactly as the report's JSON file writes them
 * (shortest round trip, −0 kept, non-finite as null), so both parse to the same values.
 */
export function compactJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number') return Number.isFinite(value) ? formatNumber(value) : 'null';
    return JSON.stringify(value) ?? 'null';
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return compactJson(toJSON.call(value));
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : compactJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && typeof v !== 'function',
  );
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${compactJson(v)}`).join(',')}}`;
}

/** JSON text safe inside a <script> element (no `</script>`, no `<!--`). */
function scriptJson(text: string): string {
  return text.replace(/</g, '\\u003c');
}

const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1040px;margin:0 auto;padding:16px 24px 48px;background:#fff}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#666;font-size:13px;margin:0 0 12px}
.status{background:#eef5ff;border:1px solid #c6dcff;padding:6px 10px;font-size:13px;border-radius:4px}
.status.warn{background:#fff4e5;border-color:#ffd8a8}
table.summary{border-collapse:collapse;font-size:13px;margin:8px 0}
table.summary td{border-bottom:1px solid #eee;padding:3px 12px 3px 0;vertical-align:top}
table.summary td:first-child{color:#555}
.warnings li{color:#a15c00;font-size:13px}
nav{font-size:13px;margin:12px 0}nav a{margin-right:12px}
figure{margin:16px 0 24px}figure .plot{width:100%;overflow-x:auto}
figure .plot svg{max-width:100%;height:auto}
figcaption{font-size:12px;color:#666;margin-top:4px}
p{line-height:1.45;font-size:14px}
footer{font-size:12px;color:#777;margin-top:32px}
`;

/**
 * Loader: base64 → bytes → DecompressionStream('gzip') → text → <script>; then every figure
 * is drawn with Plotly.newPlot in place of its static SVG. 3-D figures keep their SVG when the
 * browser has no WebGL. Failures leave the static figures and say why in #plotly-status.
 */
const LOADER = `(function(){
var status=document.getElementById('plotly-status');
function done(state,msg){document.body.setAttribute('data-plotly',state);if(msg){status.textContent=msg;status.className='status warn';}else{status.hidden=true;}}
var gz=document.getElementById('plotly-gz');
if(!gz){done('static','Static figures: this report was written without the interactive plotting library.');return;}
if(typeof DecompressionStream==='undefined'||typeof Response==='undefined'||typeof Blob==='undefined'){done('failed','Interactive figures unavailable: this browser cannot decompress the embedded plotly.js (no DecompressionStream; use a current Chrome, Edge, Firefox or Safari). The static figures show the same data.');return;}
var bin=atob(gz.textContent.replace(/\\s+/g,''));var bytes=new Uint8Array(bin.length);
for(var i=0;i<bin.length;i++)bytes[i]=bin.charCodeAt(i);
var webgl=false;try{var c=document.createElement('canvas');webgl=!!(c.getContext('webgl')||c.getContext('experimental-webgl'));}catch(e){}
new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function(code){
var s=document.createElement('script');s.textContent=code;document.head.appendChild(s);
if(typeof Plotly==='undefined')throw new Error('plotly.js did not start');
var figs=JSON.parse(document.getElementById('rnnscope-figures').textContent);var kept=0;
return figs.reduce(function(p,f){return p.then(function(){
var three=f.data.some(function(t){return t.type==='scatter3d';});
if(three&&!webgl){kept++;return;}
var el=document.getElementById('plot-'+f.id);el.innerHTML='';el.classList.add('interactive');
return Plotly.newPlot(el,f.data,f.layout,{responsive:true,displaylogo:false});});},Promise.resolve()).then(function(){
done('ready',kept?('3-D figures are static: this browser has no WebGL.'):'');});
}).catch(function(e){done('failed','Interactive figures unavailable ('+(e&&e.message||e)+'). The static figures show the same data.');});
})();`;

/** The page (see the module comment). */
export function reportHtml(doc: ReportDocument, opts: HtmlOptions): string {
  const figures = reportFigures(doc);
  const svgs = opts.svgs ?? {};
  const numbers = reportNumbers(doc);
  const specs = figures.map((f) => ({ id: f.id, data: f.data, layout: f.layout }));
  const rows = doc.summary
    .map(
      (r) =>
        `<tr><td>${esc(r.label)}</td><td>${esc(typeof r.value === 'number' ? String(Number(r.value.toPrecision(6))) : String(r.value))}</td></tr>`,
    )
    .join('');
  const nav = doc.sections.map((s) => `<a href="#sec-${esc(s.id)}">${esc(s.title)}</a>`).join('');
  const sections = doc.sections
    .map((s) => {
      const figs = s.figures
        .map(
          (f) =>
            `<figure id="fig-${esc(f.id)}" data-figure="${esc(f.id)}"><div class="plot" id="plot-${esc(f.id)}">${svgs[f.id] ?? renderSvg(f)}</div>` +
            `<figcaption>${esc(f.title)} — figure <code>${esc(f.id)}</code>; its numbers are under <code>figures["${esc(f.id)}"]</code> in the report's JSON.</figcaption></figure>`,
        )
        .join('\n');
      const text = s.text.map((t) => `<p>${esc(t)}</p>`).join('');
      return `<section id="sec-${esc(s.id)}"><h2>${esc(s.title)}</h2>${text}\n${figs}</section>`;
    })
    .join('\n');
  const warnings = doc.warnings.length
    ? `<ul class="warnings">${doc.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`
    : '';
  const status = opts.plotly
    ? `<p id="plotly-status" class="status">Loading the interactive figures (plotly.js ${esc(opts.plotly.version)}, embedded)…</p>`
    : `<p id="plotly-status" class="status">Static figures.</p>`;
  const plotly = opts.plotly
    ? `<script type="application/octet-stream" id="plotly-gz" data-encoding="gzip+base64" data-version="${esc(opts.plotly.version)}">${opts.plotly.gzipBase64}</script>\n`
    : '';
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="generator" content="${esc(doc.generator)}">\n` +
    `<title>${esc(doc.title)}</title>\n<style>${STYLE}</style>\n</head>\n<body data-plotly="pending">\n<main>\n` +
    `<h1>${esc(doc.title)}</h1>\n<p class="meta">${esc(doc.source)} · ${esc(doc.created)} · ${esc(doc.generator)}${doc.interrupted ? ' · <strong>interrupted</strong>' : ''}</p>\n` +
    `${status}\n<table class="summary">${rows}</table>\n${warnings}\n<nav>${nav}</nav>\n${sections}\n` +
    `<footer>Every number shown is in the report's JSON file and embedded below as <code>#rnnscope-numbers</code>. ` +
    `Plotting: plotly.js (MIT licence) embedded; static fallback drawn by rnnscope.</footer>\n</main>\n` +
    `<script type="application/json" id="rnnscope-numbers">${scriptJson(compactJson(numbers))}</script>\n` +
    `<script type="application/json" id="rnnscope-figures">${scriptJson(compactJson(specs))}</script>\n` +
    plotly +
    `<script>${LOADER}</script>\n</body>\n</html>\n`
  );
}
