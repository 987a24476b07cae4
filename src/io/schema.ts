/**
 * Zod schema of model-file version 1 (see docs/model-format.md). It checks structure and
 * types; shapes across fields (Wout must be O×N where W is N×N, …) are checked after sidecar
 * tensors are resolved, in model-json.ts, because a sidecar reference has no shape until then.
 */
import { z } from 'zod';

/** `{"$sidecar": "W"}`: the values live in tensor "W" of the sidecar file. */
export const sidecarRef = z.strictObject({ $sidecar: z.string().min(1) });

export const matrixField = z.union([z.array(z.array(z.number())), sidecarRef]);
export const vectorField = z.union([z.array(z.number()), sidecarRef]);

const activationName = z.enum(['tanh', 'logistic', 'identity', 'relu']);
export const activationField = z.union([
  activationName,
  z.strictObject({ name: z.literal('relu'), threshold: z.number().optional() }),
  z.strictObject({ name: z.enum(['tanh', 'logistic', 'identity']) }),
]);

const positive = z.number().positive();

export const metadataField = z.looseObject({
  task: z.string().optional(),
  seed: z.union([z.number(), z.string()]).optional(),
  created: z.string().optional(),
  notes: z.string().optional(),
});

export const historyField = z.record(z.string(), z.array(z.number()));

export const sidecarField = z.strictObject({
  file: z
    .string()
    .regex(/^[^/\\]+$/, 'expected a bare file name next to the JSON file (no directories)'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits'),
});

const common = {
  format: z.literal('rnnscope-model'),
  version: z.number().int().positive(),
  activation: activationField,
  W: matrixField,
  Win: matrixField.optional(),
  Wfb: matrixField.optional(),
  Wout: matrixField.optional(),
  bias: vectorField.optional(),
  bout: vectorField.optional(),
  metadata: metadataField.optional(),
  history: historyField.optional(),
  sidecar: sidecarField.optional(),
};

const rateFile = z.strictObject({
  ...common,
  kind: z.literal('rate'),
  tau: positive,
  dt: positive,
});
const ctrnnFile = z.strictObject({
  ...common,
  kind: z.literal('ctrnn'),
  tau: positive,
  dt: positive,
});
const leakyEsnFile = z.strictObject({
  ...common,
  kind: z.literal('leaky-esn'),
  alpha: positive.max(1),
});
const rnnFile = z.strictObject({ ...common, kind: z.literal('rnn') });

export const modelFileSchema = z.discriminatedUnion('kind', [
  rateFile,
  leakyEsnFile,
  ctrnnFile,
  rnnFile,
]);

export type ModelFileV1 = z.infer<typeof modelFileSchema>;
export type MatrixField = z.infer<typeof matrixField>;
export type VectorField = z.infer<typeof vectorField>;

export const MODEL_KINDS = ['rate', 'leaky-esn', 'ctrnn', 'rnn'] as const;

const KIND_SCALARS: Record<(typeof MODEL_KINDS)[number], string[]> = {
  rate: ['tau', 'dt'],
  'leaky-esn': ['alpha'],
  ctrnn: ['tau', 'dt'],
  rnn: [],
};

/** Top-level keys a file of `kind` may contain, in the order they are written. */
export function allowedKeys(kind: string): string[] {
  const scalars = (KIND_SCALARS as Record<string, string[] | undefined>)[kind] ?? [];
  return [
    'format',
    'version',
    'kind',
    'activation',
    ...scalars,
    'W',
    'Win',
    'Wfb',
    'Wout',
    'bias',
    'bout',
    'sidecar',
    'metadata',
    'history',
  ];
}
