/**
 * Figure builders: pure functions from plain result objects to {@link Figure} (plotly.js JSON
 * plus the numbers shown). No DOM, no Node APIs: the browser explorer imports this module as is.
 */
export type { Figure, PlotlyTrace, ComplexPair } from '../types.js';
export { stateSpaceFigure, type StateSpaceInput } from './state-space.js';
export { taskPanelFigure, type TaskPanelInput } from './task-panel.js';
export { trainingFigure, type TrainingInput } from './training.js';
export {
  eigenvalueFigure,
  jacobianSpectraFigure,
  stabilityBoundary,
  circlePoints,
  type EigenvalueInput,
  type JacobianSpectraInput,
  type StabilityBoundary,
} from './eigenvalues.js';
export { weightHistogramFigure, type WeightHistogramInput, type WeightSet } from './weights.js';
export { qHistogramFigure, type QHistogramInput } from './q-histogram.js';
export { phasePortraitFigure, type PhasePortraitInput } from './phase-portrait.js';
export {
  fhnBifurcationFigure,
  type FhnBifurcationInput,
  type FhnPoint,
} from './fhn-bifurcation.js';
export { nyquistFigure, type NyquistInput } from './nyquist.js';
export {
  phasePlane,
  type PhasePlane,
  type PhasePlaneOptions,
  type PhasePlaneArrow,
} from '../phase-plane.js';
export { fhnFixedPointVoltages, fhnFixedPointCurve } from '../fhn-curve.js';
export { histogram, histogramCounts, binEdges, defaultBins, type Histogram } from '../histogram.js';
export { contourLines, linspace, type Polyline } from '../contour.js';
