/** The test summary that `train` and `demo` record in a trained model's metadata. */
import type { TrainOutcome } from '../train/recipe.js';

/** `{ test: { mse, accuracy, trials } }` from the held-out test, or `{}` when none was run. */
export function testMetadata(outcome: Pick<TrainOutcome, 'test'>): {
  test?: { mse: number; accuracy: number | undefined; trials: number };
} {
  return outcome.test
    ? {
        test: {
          mse: outcome.test.mse,
          accuracy: outcome.test.accuracy,
          trials: outcome.test.trials,
        },
      }
    : {};
}
