/**
 * The selected fixed point: stability label, q, readout, eigenvalues (table and complex-plane
 * plot with the stability boundary of the time convention), and the launcher — a trajectory
 * from the point displaced along a chosen eigenvector. The stability shown is the library's own
 * (`FixedPoint.stability`/`label`), also kept in data attributes for scripts and tests.
 */
import type { FixedPoint } from '../../../src/analysis/fixed-points/types.js';
import { jacobianSpectraFigure } from '../../../src/report/figures/eigenvalues.js';
import { stabilityColor } from '../../../src/report/style.js';
import type { SubjectInfo } from '../protocol.js';
import { complex, el, num, vector } from './format.js';
import { loadPlotly } from './plotly.js';

/** Eigenvalues listed in the table (all are plotted). */
const LISTED = 8;

export interface LaunchRequest {
  mode: number;
  epsilon: number;
  steps: number;
}

export function stabilityText(fp: FixedPoint): string {
  const label = fp.label ?? fp.stability ?? 'not linearised';
  const dims = fp.unstableDims;
  if (label === 'saddle' && dims !== undefined)
    return `saddle (${dims}${fp.unstableDimsAtLeast ? '+' : ''} unstable ${dims === 1 ? 'direction' : 'directions'})`;
  return label;
}

export function renderDetails(
  section: HTMLElement,
  fp: FixedPoint,
  index: number,
  info: SubjectInfo,
  defaults: { epsilon: number; steps: number },
  onLaunch: (r: LaunchRequest) => void,
): void {
  section.hidden = false;
  section.replaceChildren();
  section.dataset.index = String(index);
  section.dataset.stability = fp.stability ?? 'not computed';
  section.dataset.label = fp.label ?? '';
  section.dataset.unstableDims = fp.unstableDims === undefined ? '' : String(fp.unstableDims);
  section.dataset.kind = fp.kind;
  const stable = fp.stability === 'stable';
  const lam = info.time === 'map' ? 'μ' : 'λ';
  const facts = el(
    'dl',
    { class: 'facts' },
    el('dt', {}, 'stability'),
    el(
      'dd',
      {
        'data-field': 'stability',
        class: stable ? 'stable' : fp.stability === 'unstable' ? 'unstable' : '',
      },
      stabilityText(fp),
    ),
    el('dt', {}, 'kind'),
    el('dd', {}, fp.kind === 'slow' ? `slow point (speed ${num(fp.speed, 3)})` : 'fixed point'),
    el('dt', {}, 'q = ½‖F‖²'),
    el('dd', { 'data-field': 'q' }, fp.q.toExponential(2)),
    fp.output ? el('dt', {}, 'readout z') : null,
    fp.output ? el('dd', { 'data-field': 'output' }, vector(fp.output, 4)) : null,
    el('dt', {}, 'starts ending here'),
    el('dd', {}, String(fp.count)),
    el('dt', {}, 'time convention'),
    el(
      'dd',
      {},
      info.time === 'map'
        ? 'map: stable iff every |μ| < 1 (μ of DG)'
        : 'flow: stable iff every Re λ < 0 (λ of dF/dx)',
    ),
  );

  const eig = fp.eigenvalues ?? [];
  const table = el(
    'table',
    { class: 'eig', 'data-field': 'eigenvalues' },
    el(
      'tr',
      {},
      el('th', {}, '#'),
      el('th', {}, lam),
      el('th', {}, info.time === 'map' ? '|μ|' : 'Re λ'),
    ),
    ...eig
      .slice(0, LISTED)
      .map((l, i) =>
        el(
          'tr',
          {},
          el('td', {}, String(i + 1)),
          el('td', {}, complex(l)),
          el('td', {}, num(info.time === 'map' ? Math.hypot(l[0], l[1]) : l[0])),
        ),
      ),
  );
  const more =
    eig.length > LISTED
      ? el('p', { class: 'note' }, `… and ${eig.length - LISTED} more (all in the plot)`)
      : null;

  const modes = fp.modes ?? [];
  const modeSelect = el(
    'select',
    { id: 'launch-mode', 'aria-label': 'eigenvector' },
    ...modes.map((m, i) =>
      el(
        'option',
        { value: String(i) },
        `mode ${i + 1}: ${lam} = ${complex(m.eigenvalue, 3)}${Number.isFinite(m.timeConstant) ? `, τ = ${num(m.timeConstant, 3)}` : ''}`,
      ),
    ),
  );
  const eps = el('input', {
    id: 'launch-epsilon',
    type: 'number',
    step: 'any',
    value: String(defaults.epsilon),
    title: 'displacement as a fraction of the RMS radius of the visited states',
  });
  const steps = el('input', {
    id: 'launch-steps',
    type: 'number',
    min: '1',
    step: '1',
    value: String(defaults.steps),
  });
  const launch = (sign: number) => () =>
    onLaunch({
      mode: Number(modeSelect.value),
      epsilon: sign * Number(eps.value),
      steps: Number(steps.value),
    });
  const launcher = modes.length
    ? el(
        'div',
        { class: 'row' },
        el('label', {}, 'along ', modeSelect),
        el('label', {}, 'ε ', eps),
        el('label', {}, 'for ', steps, ' steps'),
        el('button', { type: 'button', id: 'launch-plus', onclick: launch(1) }, 'Launch +ε'),
        el('button', { type: 'button', id: 'launch-minus', onclick: launch(-1) }, 'Launch −ε'),
      )
    : el('p', { class: 'note' }, 'no eigenvectors were kept for this point');

  const plot = el('div', { id: 'eig-plot' });
  section.append(
    el(
      'h2',
      {},
      el('span', { class: 'dot', style: `background:${stabilityColor(fp.stability)}` }),
      ` Fixed point #${index}`,
    ),
    facts,
    table,
    more ?? '',
    el('h2', {}, 'Launch a trajectory from it'),
    el(
      'p',
      { class: 'note' },
      'start at x* + ε·ρ·v/‖v‖ (v the real part of the eigenvector, ρ the RMS radius of the visited states) and watch where it settles',
    ),
    launcher,
    plot,
  );
  if (eig.length > 0) {
    const fig = jacobianSpectraFigure({
      fixedPoints: [fp],
      time: info.time,
      title: `Eigenvalues at #${index}`,
    });
    const layout: Record<string, unknown> = {
      ...fig.layout,
      margin: { l: 50, r: 10, t: 40, b: 40 },
      showlegend: false,
    };
    delete layout.height;
    void loadPlotly().then((P) =>
      P.react(plot, fig.data, layout, {
        responsive: true,
        displaylogo: false,
        displayModeBar: false,
      }),
    );
  }
}
