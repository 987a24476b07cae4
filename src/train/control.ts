/**
 * What every trainer shares with its caller: progress reports, cooperative cancellation,
 * periodic checkpoints, and yielding to the event loop so that a SIGINT handler (or a browser
 * UI) gets to run during a long synchronous computation.
 */
import { yieldToEventLoop } from '../event-loop.js';

export { yieldToEventLoop };

/** A progress report; `loss` is the trainer's running loss (NaN before the first value). */
export interface TrainProgress {
  trainer: 'force' | 'bptt' | 'ridge';
  /** Units done (FORCE: steps; BPTT: iterations) and the total asked for. */
  done: number;
  total: number;
  loss: number;
  elapsedSeconds: number;
  /** Estimated seconds left at the current rate (NaN until there is a rate). */
  etaSeconds: number;
}

/** Options every trainer accepts for running under a caller's control. */
export interface TrainControl<C> {
  /** Called about every `progressIntervalMs` (default 200 ms) and once at the end. */
  onProgress?: (p: TrainProgress) => void;
  progressIntervalMs?: number;
  /** Checked between units; when `aborted` turns true the trainer stops and returns what it has. */
  signal?: { readonly aborted: boolean };
  /** Every this many units, `onCheckpoint` receives a resumable checkpoint. */
  checkpointEvery?: number;
  onCheckpoint?: (checkpoint: C) => void | Promise<void>;
}

/** Why a training run ended. */
export type StopReason = 'completed' | 'threshold' | 'aborted';

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Time keeping for one run: when to report, when to yield, and the ETA. */
export class RunClock {
  private readonly start = now();
  private lastReport = -Infinity;
  private lastYield = now();
  private readonly startDone: number;

  constructor(
    private readonly trainer: TrainProgress['trainer'],
    private readonly total: number,
    startDone: number,
    private readonly control: Pick<TrainControl<never>, 'onProgress' | 'progressIntervalMs'>,
  ) {
    this.startDone = startDone;
  }

  get elapsedSeconds(): number {
    return (now() - this.start) / 1000;
  }

  /** Reports progress if the interval has passed (or `force`). */
  report(done: number, loss: number, force = false): void {
    const cb = this.control.onProgress;
    if (!cb) return;
    const t = now();
    if (!force && t - this.lastReport < (this.control.progressIntervalMs ?? 200)) return;
    this.lastReport = t;
    const elapsed = (t - this.start) / 1000;
    const rate = (done - this.startDone) / elapsed;
    cb({
      trainer: this.trainer,
      done,
      total: this.total,
      loss,
      elapsedSeconds: elapsed,
      etaSeconds: rate > 0 ? (this.total - done) / rate : NaN,
    });
  }

  /** Yields if ~50 ms of work has passed since the last yield. */
  async maybeYield(): Promise<void> {
    if (now() - this.lastYield < 50) return;
    await yieldToEventLoop();
    this.lastYield = now();
  }
}
