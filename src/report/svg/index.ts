/** Static SVG rendering of figure specs (no browser, no DOM). */
export { renderSvg, type SvgOptions } from './render.js';
