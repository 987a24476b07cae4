/** Text for progress reports (the CLI draws it; kept here so any front end can reuse it). */
import type { TrainProgress } from './control.js';

function duration(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * One line: `force [########......]  12000/30000 steps  loss 0.0123  00:04 elapsed  ETA 00:06`.
 * `width` is the bar's width in characters (0 for no bar, e.g. in logs).
 */
export function formatProgress(p: TrainProgress, width = 24): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const unit = p.trainer === 'bptt' ? 'iterations' : 'steps';
  const bar =
    width > 0
      ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] `
      : `${(100 * frac).toFixed(0).padStart(3)}% `;
  const loss = Number.isFinite(p.loss) ? p.loss.toPrecision(3) : '—';
  return (
    `${p.trainer} ${bar}${p.done}/${p.total} ${unit}  loss ${loss}  ` +
    `${duration(p.elapsedSeconds)} elapsed  ETA ${duration(p.etaSeconds)}`
  );
}
