/** Runs one optimiser over a set of initial states until every start has stopped. */
import { gemm, type Matrix } from '../../linalg/index.js';
import type { BatchedSystem } from '../batch.js';
import { adam } from './adam.js';
import { conjugateGradient } from './cg.js';
import { checkDenseDimension, gaussNewton } from './gauss-newton.js';
import { levenbergMarquardtKrylov } from './lm-krylov.js';
import { newtonKrylov } from './newton-krylov.js';
import type { Optimiser, OptimiserContext } from './optimiser.js';
import { activeStarts, createPopulation, retire, type Population } from './population.js';
import type { RunControl } from './settings.js';
import type { FixedPointMethod, FixedPointOptions } from './types.js';

export interface OptimiseSettings {
  method: FixedPointMethod;
  /** gauss-newton only: dense Cholesky solves (true) or matrix-free CGLS/GMRES (false). */
  dense: boolean;
  tolFixed: number;
  tolSlow: number;
  maxIterations: number;
  uniqueTol: number;
  stateScale: number;
  earlyMerge: boolean;
  adam?: FixedPointOptions['adam'];
  backend?: FixedPointOptions['backend'];
}

function makeOptimiser(ctx: OptimiserContext, s: OptimiseSettings): Optimiser {
  switch (s.method) {
    case 'gauss-newton':
      if (!s.dense) return levenbergMarquardtKrylov(ctx);
      checkDenseDimension(ctx.pop.n);
      return gaussNewton(ctx);
    case 'newton-krylov':
      return newtonKrylov(ctx);
    case 'cg':
      return conjugateGradient(ctx);
    case 'adam':
      return adam(ctx, s.adam ?? {});
  }
}

/**
 * Generator: optimises every start, yielding after each iteration so drivers can report
 * progress and stop. Returns the population (iterates, q, stop reasons). When the control says
 * stop, the starts still running are retired as 'interrupted' with their current iterate.
 */
export function* optimiseStarts(
  batch: BatchedSystem,
  X0: Matrix,
  s: OptimiseSettings,
  control: RunControl,
): Generator<void, Population, void> {
  const pop = createPopulation(batch, X0);
  const mm = s.backend ? s.backend.gemm.bind(s.backend) : gemm;
  const ctx: OptimiserContext = {
    pop,
    tolFixed: s.tolFixed,
    tolSlow: s.tolSlow,
    maxIterations: s.maxIterations,
    stateScale: s.stateScale,
    uniqueTol: s.uniqueTol,
    earlyMerge: s.earlyMerge,
    gemm: mm,
  };
  const opt = makeOptimiser(ctx, s);
  for (let iteration = 0; ; iteration++) {
    const active = activeStarts(pop);
    if (active.length === 0) break;
    let best = Infinity;
    for (const r of active) best = Math.min(best, pop.q[r]);
    const stop = control.checkpoint({
      phase: 'optimise',
      iteration,
      active: active.length,
      total: pop.count,
      bestQ: best,
    });
    if (stop) {
      for (const r of active) retire(pop, r, 'interrupted');
      break;
    }
    opt.step();
    yield;
  }
  return pop;
}
