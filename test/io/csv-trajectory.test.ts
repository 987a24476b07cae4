import { describe, expect, it } from 'vitest';
import { parseNumericCsv, serializeTrajectory, stringifyCompact } from '../../src/io/index.js';

describe('numeric CSV', () => {
  it('reads rows, skipping a header, comments and blank lines', () => {
    const m = parseNumericCsv('a,b\n# note\n1,2\n\n3.5,-4e-3\r\n');
    expect([m.rows, m.cols, Array.from(m.data)]).toEqual([2, 2, [1, 2, 3.5, -0.004]]);
  });

  it('names the line of a bad field or a ragged row', () => {
    expect(() => parseNumericCsv('1,2\n3,NaN\n', 'u.csv')).toThrow(
      'u.csv line 2, column 2: "NaN" is not a finite number',
    );
    expect(() => parseNumericCsv('1,2\n3\n', 'u.csv')).toThrow(
      'u.csv line 2 has 1 values, expected 2',
    );
    expect(() => parseNumericCsv('# nothing\n', 'u.csv')).toThrow('contains no data rows');
  });
});

describe('trajectory files', () => {
  it('writes exact numbers and refuses non-finite states', () => {
    const states = { rows: 2, cols: 2, data: Float64Array.of(0.1 + 0.2, -0, 5e-324, 1) };
    const outputs = { rows: 2, cols: 0, data: new Float64Array(0) };
    const doc = JSON.parse(serializeTrajectory({ states, outputs, settings: { x0: [0, 0] } }));
    expect(doc.steps).toBe(2);
    expect(doc.states[0][0]).toBe(0.1 + 0.2);
    expect(Object.is(doc.states[0][1], -0)).toBe(true);
    expect(doc.outputs).toEqual([[], []]);
    states.data[3] = NaN;
    expect(() => serializeTrajectory({ states, outputs, settings: {} })).toThrow(
      /NaN in states at step 2/,
    );
  });

  it('stringifyCompact keeps number arrays on one line', () => {
    expect(stringifyCompact({ a: [1, -0, 2], b: { c: 'x' } })).toBe(
      '{\n  "a": [1, -0, 2],\n  "b": {\n    "c": "x"\n  }\n}',
    );
  });
});
