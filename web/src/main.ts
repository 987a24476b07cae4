/**
 * The explorer page: wires the controls, the compute worker and the views. It draws and never
 * computes: every number shown comes from the worker (src/ through web/src/worker.ts).
 */
import type { FixedPoint } from '../../src/analysis/fixed-points/types.js';
import { stabilityColor } from '../../src/report/style.js';
import { ComputeError, startCompute } from './client.js';
import { EXAMPLES, exampleById, type Example } from './examples.js';
import type { AnalysisView, PathView, SourceSpec, SubjectInfo } from './protocol.js';
import { renderDetails, stabilityText, type LaunchRequest } from './ui/details.js';
import { el, num, vector } from './ui/format.js';
import { showEnvironment } from './ui/env-badge.js';
import { onModelFiles } from './ui/files.js';
import { createOutputView } from './ui/output-view.js';
import { createPlotView } from './ui/plot-view.js';
import { loadPlotly } from './ui/plotly.js';
import { readUrlState, urlSearch } from './url-state.js';
import './style.css';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const pageStart = performance.now();
const client = startCompute((message) => showError(message));
// Parsed while the worker starts and finds the first fixed points.
void loadPlotly();

interface PageState {
  example?: Example;
  subject?: SubjectInfo;
  analysis?: AnalysisView;
  fixedPoints: FixedPoint[];
  selected: number | null;
  seed: number;
  /** Bumped by every load/analysis so that late answers to older requests are ignored. */
  generation: number;
}
const state: PageState = { fixedPoints: [], selected: null, seed: 0, generation: 0 };

const plot = createPlotView($('plot'), {
  select: (i) => select(i),
  start: (x) => void runPath(() => client.request({ type: 'start', state: x, steps: pathSteps() })),
});
const output = createOutputView($('output-plot'));

function showError(message: string | null): void {
  const box = $('error');
  box.hidden = message === null;
  box.textContent = message ?? '';
  if (message) setTimeout(() => box.textContent === message && (box.hidden = true), 12000);
}

function errorText(e: unknown): string {
  return e instanceof ComputeError ? e.message : String((e as Error)?.message ?? e);
}

function setStatus(text: string): void {
  $('status').textContent = text;
}

function updateUrl(): void {
  const search = urlSearch({
    example: state.example?.id,
    input: state.analysis?.input ?? readInput(),
    seed: state.seed,
    fp: state.selected ?? undefined,
  });
  history.replaceState(null, '', `${location.pathname}${search}`);
}

// --- model loading -----------------------------------------------------------------------------

function fillExamplePicker(): void {
  const pick = $<HTMLSelectElement>('example');
  pick.replaceChildren(
    ...EXAMPLES.map((e) => el('option', { value: e.id }, e.title)),
    el('option', { value: '', disabled: true }, '(dropped file)'),
  );
  pick.onchange = () => {
    const e = exampleById(pick.value);
    if (e) void loadExample(e, {});
  };
}

async function loadExample(
  example: Example,
  opts: { input?: number[]; seed?: number; fp?: number },
): Promise<void> {
  $<HTMLSelectElement>('example').value = example.id;
  $('about').textContent = example.about;
  let source: SourceSpec;
  if (example.source.kind === 'file') {
    const url = new URL(example.source.path, document.baseURI);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`cannot fetch the example ${url.pathname}: HTTP ${res.status}`);
    source = { kind: 'text', name: example.title, text: await res.text() };
  } else {
    source = { kind: 'builtin', name: example.source.name, title: example.title };
  }
  await load(source, example, opts);
}

async function loadFiles(files: File[]): Promise<void> {
  const json = files.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (!json) {
    showError('drop a model file (.json), with its .safetensors sidecar if it has one');
    return;
  }
  const sidecars = await Promise.all(
    files
      .filter((f) => f.name.toLowerCase().endsWith('.safetensors'))
      .map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  $<HTMLSelectElement>('example').value = '';
  $('about').textContent =
    `${json.name}, dropped (${num(json.size / 1024, 3)} KiB); it stays in this browser`;
  await load({ kind: 'text', name: json.name, text: await json.text(), sidecars }, undefined, {});
}

async function load(
  source: SourceSpec,
  example: Example | undefined,
  opts: { input?: number[]; seed?: number; fp?: number },
): Promise<void> {
  const generation = ++state.generation;
  showError(null);
  setStatus('loading…');
  let info: SubjectInfo;
  try {
    info = await client.request({ type: 'load', source });
  } catch (e) {
    setStatus('');
    showError(errorText(e));
    return;
  }
  if (generation !== state.generation) return;
  Object.assign(state, {
    example,
    subject: info,
    analysis: undefined,
    fixedPoints: [],
    selected: null,
  });
  state.seed = opts.seed ?? 0;
  $<HTMLInputElement>('seed').value = String(state.seed);
  const meta = info.metadata;
  const test = meta?.test as { mse?: number } | undefined;
  $('model').textContent =
    `${info.description}; ${info.dim}-D ${info.time}` +
    (typeof meta?.task === 'string' ? `; task ${meta.task}` : '') +
    (typeof test?.mse === 'number' ? `; test MSE ${num(test.mse, 3)}` : '');
  const defaults =
    opts.input?.length === info.inputs
      ? opts.input
      : (example?.input ?? new Array(info.inputs).fill(0));
  buildInputs(info, defaults);
  buildPulse(info, example);
  await analyse(opts.fp);
}

// --- input and analysis ------------------------------------------------------------------------

function buildInputs(info: SubjectInfo, values: number[]): void {
  const box = $('inputs');
  box.replaceChildren(
    ...info.inputNames.map((name, i) =>
      el(
        'label',
        {},
        `${name} `,
        el('input', {
          type: 'number',
          step: 'any',
          value: String(values[i] ?? 0),
          'data-channel': String(i),
          'aria-label': `input ${name}`,
        }),
      ),
    ),
  );
  if (info.inputs === 0) box.append(el('span', { class: 'note' }, 'this system has no input'));
}

function readInput(): number[] {
  return [...$('inputs').querySelectorAll('input')].map((i) =>
    Number((i as HTMLInputElement).value),
  );
}

async function analyse(selectIndex?: number): Promise<void> {
  if (!state.subject) return;
  const input = readInput();
  if (input.some((v) => !Number.isFinite(v))) {
    showError('the input must be numbers');
    return;
  }
  state.seed = Math.max(0, Math.floor(Number($<HTMLInputElement>('seed').value) || 0));
  const generation = ++state.generation;
  const t0 = performance.now();
  setStatus('finding fixed points…');
  $('fp-list').replaceChildren();
  $('fp-details').hidden = true;
  let view: AnalysisView;
  try {
    view = await client.request({ type: 'analyse', input, seed: state.seed }, (line) => {
      if (generation === state.generation) setStatus(`finding fixed points… ${line}`);
    });
  } catch (e) {
    if (generation === state.generation) {
      setStatus('');
      showError(errorText(e));
    }
    return;
  }
  if (generation !== state.generation) return;
  const elapsed = performance.now() - t0;
  document.body.dataset.firstAnalysisMs ??= String(Math.round(performance.now()));
  state.analysis = view;
  state.fixedPoints = view.result.fixedPoints;
  state.selected = null;
  await plot.show(view, state.subject, state.fixedPoints);
  renderList();
  const s = view.result.summary;
  const stable = state.fixedPoints.filter((p) => p.stability === 'stable').length;
  setStatus(
    `${s.unique} points (${stable} stable) from ${s.starts} starts in ${num(elapsed / 1000, 3)} s ` +
      `(search ${num(view.millis.search / 1000, 3)} s)` +
      (view.result.warnings.length ? `\n${view.result.warnings.join('\n')}` : ''),
  );
  // Time to the first picture (ms since navigation started; and since this script started).
  if (!document.body.dataset.firstFixedPointsMs) {
    document.body.dataset.firstFixedPointsMs = String(Math.round(performance.now()));
    document.body.dataset.scriptStartMs = String(Math.round(pageStart));
  }
  document.body.dataset.ready = String(state.generation);
  $('pulse-section').hidden = !(state.subject.inputs > 0);
  if (selectIndex !== undefined && selectIndex < state.fixedPoints.length) select(selectIndex);
  else updateUrl();
}

function renderList(): void {
  const list = $('fp-list');
  list.replaceChildren(
    ...state.fixedPoints.map((fp, i) =>
      el(
        'li',
        {},
        el(
          'button',
          {
            type: 'button',
            'data-index': String(i),
            'aria-pressed': 'false',
            onclick: () => select(i),
          },
          el('span', {
            class: `dot${fp.kind === 'slow' ? ' open' : ''}`,
            style: `background:${stabilityColor(fp.stability)};border-color:${stabilityColor(fp.stability)}`,
          }),
          el('span', {}, `#${i} ${shortStability(fp)}`),
          el('span', { class: 'note' }, fp.output ? `z ${vector(fp.output, 2)}` : ''),
        ),
      ),
    ),
  );
}

function shortStability(fp: FixedPoint): string {
  const label = fp.label ?? fp.stability ?? '?';
  const slow = fp.kind === 'slow' ? ' (slow)' : '';
  return label === 'saddle' && fp.unstableDims !== undefined
    ? `saddle, ${fp.unstableDims} unstable${slow}`
    : `${label}${slow}`;
}

function select(index: number): void {
  const fp = state.fixedPoints[index];
  if (!fp || !state.subject) return;
  state.selected = index;
  for (const b of $('fp-list').querySelectorAll('button'))
    b.setAttribute('aria-pressed', String(b.getAttribute('data-index') === String(index)));
  plot.select(index);
  renderDetails(
    $('fp-details'),
    fp,
    index,
    state.subject,
    { epsilon: 0.05, steps: pathSteps() },
    (r) => void launch(r),
  );
  updateUrl();
}

// --- paths -------------------------------------------------------------------------------------

function pathSteps(): number {
  return state.example?.steps ?? (state.subject?.time === 'map' ? 100 : 400);
}

async function runPath(request: () => Promise<PathView>): Promise<void> {
  if (!state.subject || !state.analysis) return;
  const generation = state.generation;
  let path: PathView;
  try {
    path = await request();
  } catch (e) {
    showError(errorText(e));
    return;
  }
  if (generation !== state.generation) return;
  const s = path.settled;
  const near = s.nearest === null ? null : state.fixedPoints[s.nearest];
  const where =
    near && s.relativeDistance < 0.05
      ? `settled at #${s.nearest} (${stabilityText(near)}), distance ${num(s.distance, 2)}`
      : `ended ${num(s.relativeDistance, 2)} radii from the nearest point #${s.nearest ?? '–'}, still moving at speed ${num(s.speed, 2)}`;
  const status = $('path-status');
  status.textContent = where;
  status.dataset.nearest = s.nearest === null ? '' : String(s.nearest);
  await output.start(path, state.subject);
  await plot.animate(path, (n) => output.frame(n));
}

async function launch(r: LaunchRequest): Promise<void> {
  if (state.selected === null) return;
  const fixedPoint = state.selected;
  await runPath(() => client.request({ type: 'launch', fixedPoint, ...r }));
}

function buildPulse(info: SubjectInfo, example: Example | undefined): void {
  const channel = $<HTMLSelectElement>('pulse-channel');
  channel.replaceChildren(...info.inputNames.map((n, i) => el('option', { value: String(i) }, n)));
  const d = example?.pulse ?? {
    amplitude: 1,
    pulseSteps: 1,
    steps: info.time === 'map' ? 60 : 400,
  };
  $<HTMLInputElement>('pulse-amplitude').value = String(d.amplitude);
  $<HTMLInputElement>('pulse-steps').value = String(d.pulseSteps);
  $<HTMLInputElement>('pulse-total').value = String(d.steps);
  $('pulse-section').hidden = info.inputs === 0;
  $('path-status').textContent = '';
}

$('pulse-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const fromSelected = $<HTMLSelectElement>('pulse-from').value === 'selected';
  if (fromSelected && state.selected === null) {
    showError('select a fixed point first (click one), or pulse from where the last path ended');
    return;
  }
  const pulseSteps = Number($<HTMLInputElement>('pulse-steps').value);
  const after = Number($<HTMLInputElement>('pulse-total').value);
  void runPath(() =>
    client.request({
      type: 'pulse',
      channel: Number($<HTMLSelectElement>('pulse-channel').value),
      amplitude: Number($<HTMLInputElement>('pulse-amplitude').value),
      pulseSteps,
      steps: pulseSteps + after,
      fixedPoint: fromSelected ? state.selected : null,
    }),
  );
});

$('input-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  void analyse();
});

// --- files -------------------------------------------------------------------------------------

onModelFiles($<HTMLInputElement>('file'), $('drop-overlay'), (files) => void loadFiles(files));

// --- start -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  fillExamplePicker();
  const env = await client.request({ type: 'init' });
  showEnvironment($('env'), env);
  const url = readUrlState(location.search);
  const example = exampleById(url.example) ?? EXAMPLES[0];
  await loadExample(example, { input: url.input, seed: url.seed, fp: url.fp });
}

main().catch((e) => showError(errorText(e)));
