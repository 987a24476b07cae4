import { describe, expect, it } from 'vitest';
import { modelStepper } from '../../src/analysis/attractors/index.js';
import { createModel } from '../../src/models/index.js';
import { createRng } from '../../src/random/index.js';
import { ACTIVATIONS, KINDS, makeParams } from '../models/helpers.js';

describe('modelStepper: the map each model kind iterates, many states at once', () => {
  for (const kind of KINDS)
    for (const act of ACTIVATIONS.slice(0, 2))
      it(`${kind} ${act.name}: one step equals Model.simulate, with a different input per row`, () => {
        const params = makeParams(kind, act, { N: 9, I: 2, O: 3 });
        const model = createModel(params);
        const base = Float64Array.of(0.3, -0.2);
        const st = modelStepper(params, base);
        const rng = createRng(`step ${kind}`);
        const B = 4;
        const X = {
          rows: B,
          cols: 9,
          data: Float64Array.from({ length: B * 9 }, () => rng.normal()),
        };
        const off = {
          rows: B,
          cols: 2,
          data: Float64Array.from({ length: B * 2 }, () => rng.normal()),
        };
        const Y = { rows: B, cols: 9, data: new Float64Array(B * 9) };
        st.step(X, B, Y, { offsets: off });
        for (let r = 0; r < B; r++) {
          const u = {
            rows: 1,
            cols: 2,
            data: Float64Array.of(base[0] + off.data[2 * r], base[1] + off.data[2 * r + 1]),
          };
          const ref = model.simulate(u, X.data.slice(9 * r, 9 * r + 9)).states.data;
          for (let i = 0; i < 9; i++) expect(Y.data[9 * r + i]).toBeCloseTo(ref[i], 12);
        }
        st.release();
      });

  it('jvp and vjp are DG·v and DGᵀ·v (central differences of the step; adjoint identity)', () => {
    for (const kind of KINDS) {
      const params = makeParams(kind, { name: 'tanh' }, { N: 7, I: 2, O: 2 });
      const st = modelStepper(params);
      const rng = createRng(`jvp ${kind}`);
      const x = Float64Array.from({ length: 7 }, () => rng.normal());
      const v = Float64Array.from({ length: 7 }, () => rng.normal());
      const w = Float64Array.from({ length: 7 }, () => rng.normal());
      const off = { rows: 1, cols: 2, data: Float64Array.of(0.4, -0.7) };
      const D = new Float64Array(7);
      st.slopes({ rows: 1, cols: 7, data: x }, 1, D, { offsets: off });
      const Jv = { rows: 1, cols: 7, data: new Float64Array(7) };
      const JTw = { rows: 1, cols: 7, data: new Float64Array(7) };
      st.jvp(D, { rows: 1, cols: 7, data: v }, 1, Jv);
      st.vjp(D, { rows: 1, cols: 7, data: w }, 1, JTw);
      const h = 1e-6;
      const step = (y: Float64Array) => {
        const out = { rows: 1, cols: 7, data: new Float64Array(7) };
        st.step({ rows: 1, cols: 7, data: y }, 1, out, { offsets: off });
        return out.data;
      };
      const plus = step(x.map((xi, i) => xi + h * v[i]));
      const minus = step(x.map((xi, i) => xi - h * v[i]));
      for (let i = 0; i < 7; i++) expect(Jv.data[i]).toBeCloseTo((plus[i] - minus[i]) / (2 * h), 7);
      let a = 0;
      let b = 0;
      for (let i = 0; i < 7; i++) {
        a += w[i] * Jv.data[i];
        b += JTw.data[i] * v[i];
      }
      expect(a).toBeCloseTo(b, 12);
      st.release();
    }
  });
});
