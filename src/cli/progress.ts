/**
 * Training progress on stderr, shared by `train` and `demo`: a redrawn bar on a terminal, a
 * plain line every `intervalMs` otherwise (so logs stay short).
 */
import type { TrainProgress } from '../train/control.js';
import { formatProgress } from '../train/progress.js';
import type { CliContext } from './context.js';

/**
 * A printer for `TrainProgress` events; `prefix` starts every line, `end()` finishes a redrawn
 * bar with a newline.
 */
export function trainProgressPrinter(
  stderr: CliContext['io']['stderr'],
  quiet: boolean,
  prefix: string,
  intervalMs: number,
) {
  const tty = Boolean((stderr as { isTTY?: boolean }).isTTY);
  let last = 0;
  return {
    onProgress(p: TrainProgress) {
      if (quiet) return;
      if (tty) {
        stderr.write(`\r${prefix}${formatProgress(p)}\u001b[K`);
        return;
      }
      const t = Date.now();
      if (t - last >= intervalMs || p.done === p.total) {
        last = t;
        stderr.write(`${prefix}${formatProgress(p, 0)}\n`);
      }
    },
    end() {
      if (tty && !quiet) stderr.write('\n');
    },
  };
}
