/**
 * Inputs, targets and outputs of one trial, one panel per channel stacked over a shared time
 * axis (seed 000 fig. 5, seed 004 fig. 7).
 */
import { RnnscopeError } from '../../errors.js';
import type { Matrix } from '../../linalg/matrix.js';
import { COLORS, axis, baseLayout, paletteColor, titleText } from '../style.js';
import type { Figure, PlotlyTrace } from '../types.js';

export interface TaskPanelInput {
  /** T×I inputs (I may be 0). */
  inputs: Matrix;
  /** T×O targets. */
  targets: Matrix;
  /** T×O model outputs. */
  outputs: Matrix;
  /** T×O: 0 where the target is not scored (drawn as a gap). */
  mask?: Matrix;
  /** Time per step (default 1: the axis counts steps). */
  dt?: number;
  inputNames?: string[];
  outputNames?: string[];
  id?: string;
  title?: string;
  subtitle?: string;
}

function column(M: Matrix, c: number): number[] {
  return Array.from({ length: M.rows }, (_, t) => M.data[t * M.cols + c]);
}

/**
 * One subplot per input channel (top) and per output channel (target dashed, output solid).
 * `numbers`: time axis, and per channel the plotted series (masked target entries as null).
 */
export function taskPanelFigure(input: TaskPanelInput): Figure {
  const { inputs, targets, outputs } = input;
  const T = outputs.rows;
  if (inputs.rows !== T || targets.rows !== T)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `inputs, targets and outputs need the same number of steps, got ${inputs.rows}, ${targets.rows}, ${T}`,
    );
  if (targets.cols !== outputs.cols)
    throw new RnnscopeError(
      'SHAPE_MISMATCH',
      `targets have ${targets.cols} channels, outputs ${outputs.cols}`,
    );
  if (input.mask && (input.mask.rows !== T || input.mask.cols !== outputs.cols))
    throw new RnnscopeError('SHAPE_MISMATCH', `mask must be ${T}×${outputs.cols}`);
  const I = inputs.cols;
  const O = outputs.cols;
  const rows = I + O;
  if (rows === 0)
    throw new RnnscopeError('INVALID_ARGUMENT', 'nothing to draw: no inputs, no outputs');
  const dt = input.dt ?? 1;
  const time = Array.from({ length: T }, (_, t) => (t + 1) * dt);
  const gap = rows > 1 ? 0.04 : 0;
  const h = (1 - gap * (rows - 1)) / rows;
  const layoutAxes: Record<string, unknown> = {};
  const data: PlotlyTrace[] = [];
  const axisName = (r: number) => (r === 0 ? '' : String(r + 1));
  const inputSeries: number[][] = [];
  const targetSeries: (number | null)[][] = [];
  const outputSeries: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const top = 1 - r * (h + gap);
    const name = axisName(r);
    const isInput = r < I;
    const c = isInput ? r : r - I;
    const label = isInput
      ? (input.inputNames?.[c] ?? `u${c + 1}`)
      : (input.outputNames?.[c] ?? `z${c + 1}`);
    layoutAxes[`yaxis${name}`] = axis(label, { domain: [top - h, top], anchor: `x${name}` });
    layoutAxes[`xaxis${name}`] = axis(r === rows - 1 ? (dt === 1 ? 'step' : 'time') : '', {
      domain: [0, 1],
      anchor: `y${name}`,
      matches: r === 0 ? undefined : 'x',
      showticklabels: r === rows - 1,
    });
    const ref = { xaxis: `x${name}`, yaxis: `y${name}` };
    if (isInput) {
      const u = column(inputs, c);
      inputSeries.push(u);
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: label,
        x: time,
        y: u,
        line: { color: paletteColor(c), width: 1.2, shape: 'hv' },
        showlegend: false,
        ...ref,
      });
    } else {
      const y = column(targets, c);
      const m = input.mask ? column(input.mask, c) : undefined;
      const shown = y.map((v, t) => (m && m[t] === 0 ? null : v));
      const z = column(outputs, c);
      targetSeries.push(shown);
      outputSeries.push(z);
      data.push(
        {
          type: 'scatter',
          mode: 'lines',
          name: 'target',
          legendgroup: 'target',
          showlegend: c === 0,
          x: time,
          y: shown,
          line: { color: COLORS.target, width: 1.5, dash: 'dash' },
          ...ref,
        },
        {
          type: 'scatter',
          mode: 'lines',
          name: 'output',
          legendgroup: 'output',
          showlegend: c === 0,
          x: time,
          y: z,
          line: { color: COLORS.unstable, width: 1.5 },
          ...ref,
        },
      );
    }
  }
  const title = input.title ?? 'Task: inputs, targets and outputs';
  return {
    id: input.id ?? 'task-panel',
    title,
    data,
    layout: baseLayout(titleText(title, input.subtitle), {
      ...layoutAxes,
      height: Math.max(320, 90 * rows + 110),
      legend: { orientation: 'h', x: 1, xanchor: 'right', y: 1.02, yanchor: 'bottom' },
    }),
    numbers: {
      steps: T,
      dt,
      time,
      inputs: inputSeries,
      targets: targetSeries,
      outputs: outputSeries,
    },
  };
}
