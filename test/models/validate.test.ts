import { describe, expect, it } from 'vitest';
import { isRnnscopeError } from '../../src/errors.js';
import { createModel, modelSizes, validateModel } from '../../src/models/index.js';
import type { ModelParams } from '../../src/models/types.js';
import { makeParams } from './helpers.js';

function failure(params: unknown): { code: string; message: string } {
  try {
    validateModel(params as ModelParams);
  } catch (e) {
    if (isRnnscopeError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('validateModel accepted invalid parameters');
}

const m = (rows: number, cols: number, fill = 0.1) => ({
  rows,
  cols,
  data: new Float64Array(rows * cols).fill(fill),
});

describe('validateModel', () => {
  const good = makeParams('rate', { name: 'tanh' }, { N: 10, I: 2, O: 3 });

  it('accepts every kind and reports sizes', () => {
    for (const kind of ['rate', 'leaky-esn', 'ctrnn', 'rnn'] as const) {
      expect(() => validateModel(makeParams(kind, { name: 'tanh' }))).not.toThrow();
    }
    expect(modelSizes(good)).toEqual({ units: 10, inputs: 2, outputs: 3 });
    expect(modelSizes({ kind: 'rnn', activation: { name: 'tanh' }, W: m(4, 4) })).toEqual({
      units: 4,
      inputs: 0,
      outputs: 0,
    });
  });

  it('names the field and the expected shape', () => {
    expect(failure({ ...good, Wout: m(3, 9) })).toEqual({
      code: 'SHAPE_MISMATCH',
      message: 'Wout must be 3×10 (outputs × units), got 3×9',
    });
    expect(failure({ ...good, W: m(10, 9) }).message).toBe(
      'W must be N×N with N ≥ 1 (units × units), got 10×9',
    );
    expect(failure({ ...good, Win: m(9, 2) }).message).toBe(
      'Win must be 10×2 (units × inputs), got 9×2',
    );
    expect(failure({ ...good, Wfb: m(10, 2) }).message).toBe(
      'Wfb must be 10×3 (units × outputs), got 10×2',
    );
    expect(failure({ ...good, bias: new Float64Array(9) }).message).toBe(
      'bias must have length 10 (units), got 9',
    );
    expect(failure({ ...good, bout: new Float64Array(2) }).message).toBe(
      'bout must have length 3 (outputs), got 2',
    );
    expect(failure({ ...good, W: { rows: 10, cols: 10, data: new Float64Array(50) } }).code).toBe(
      'SHAPE_MISMATCH',
    );
  });

  it('names the first non-finite entry', () => {
    const W = m(20, 20);
    W.data[12 * 20 + 7] = NaN;
    expect(failure({ ...makeParams('rnn', { name: 'tanh' }, { N: 20 }), W })).toEqual({
      code: 'NON_FINITE',
      message: 'W[12][7] is NaN',
    });
    const Wout = m(3, 10);
    Wout.data[10 + 4] = -Infinity;
    expect(failure({ ...good, Wout }).message).toBe('Wout[1][4] is -Infinity');
    const bias = new Float64Array(10);
    bias[3] = Infinity;
    expect(failure({ ...good, bias }).message).toBe('bias[3] is Infinity');
  });

  it('checks tau, dt, alpha, kind, activation and dependencies', () => {
    expect(failure({ ...good, tau: 0 })).toMatchObject({
      code: 'INVALID_MODEL',
      message: expect.stringMatching(/^tau must be/),
    });
    expect(failure({ ...good, dt: -1 }).message).toMatch(/^dt must be a finite number > 0/);
    expect(failure({ ...makeParams('ctrnn', { name: 'tanh' }), tau: NaN }).message).toMatch(/^tau/);
    const esn = makeParams('leaky-esn', { name: 'tanh' });
    expect(failure({ ...esn, alpha: 0 }).message).toMatch(/0 < alpha ≤ 1, got 0/);
    expect(failure({ ...esn, alpha: 1.5 }).message).toMatch(/got 1.5/);
    expect(() => validateModel({ ...esn, alpha: 1 } as ModelParams)).not.toThrow();
    expect(failure({ ...good, kind: 'lstm' })).toMatchObject({
      code: 'INVALID_MODEL',
      message: expect.stringMatching(/kind must be one of rate, leaky-esn, ctrnn, rnn/),
    });
    expect(failure({ ...good, activation: { name: 'gelu' } }).message).toMatch(
      /activation must be one of/,
    );
    expect(failure({ ...good, W: undefined }).message).toMatch(/W .* is required/);
    expect(failure({ ...good, W: [[1]] }).message).toMatch(/W must be a Matrix/);
    expect(failure({ ...good, Wout: undefined, bout: undefined }).message).toMatch(
      /Wfb .* needs Wout/,
    );
    expect(failure({ ...good, Wout: undefined, Wfb: undefined }).message).toMatch(
      /bout .* needs Wout/,
    );
  });

  it('createModel validates, and simulate checks its inputs', () => {
    expect(() => createModel({ ...good, tau: -1 } as ModelParams)).toThrow(/tau/);
    const model = createModel(good);
    expect(() => model.simulate(m(5, 3))).toThrow('inputs must be T×2 (steps × inputs), got 5×3');
    expect(() => model.simulate(m(5, 2), new Float64Array(9))).toThrow(
      'x0 must have length 10 (units), got 9',
    );
    const bad = m(5, 2);
    bad.data[7] = NaN;
    expect(() => model.simulate(bad)).toThrow('inputs[3][1] is NaN');
  });
});
