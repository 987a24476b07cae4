/**
 * Figures and reports from plain result objects. Layer: above analysis/train/tasks, below
 * cli/web. `./figures/index.js` and `./svg/index.js` are DOM- and Node-free (the browser imports
 * them); `writeReport`, `loadPlotlyAsset` and `svgsToPng` use Node.
 */
export * from './figures/index.js';
export { renderSvg, type SvgOptions } from './svg/index.js';
export {
  reportFigures,
  reportNumbers,
  type ReportDocument,
  type ReportNumbers,
  type ReportSection,
  type ReportSummaryRow,
} from './document.js';
export { reportHtml, type HtmlOptions } from './html.js';
export { analyseModel, type ModelReportOptions, type ReportProgress } from './analyse-model.js';
export { analyseSystem, type SystemReportOptions } from './analyse-system.js';
export { loadPlotlyAsset, type PlotlyAsset } from './plotly-asset.js';
export { svgsToPng, pngUnavailable } from './png.js';
export { writeReport, jsonPathFor, type WriteReportOptions, type WrittenReport } from './write.js';
