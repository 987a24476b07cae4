/**
 * The header badge: whether the worker pool runs threads (cross-origin isolated page, shared
 * wasm memory) or the explorer runs single-threaded, and why.
 */
import type { ComputeEnvironment } from '../protocol.js';

export function showEnvironment(badge: HTMLElement, env: ComputeEnvironment): void {
  badge.dataset.threads = String(env.threads);
  badge.dataset.isolated = String(env.crossOriginIsolated);
  const kernels = env.backend === 'wasm' ? `wasm ${env.variant}` : 'TypeScript kernels';
  if (env.threads > 1) {
    badge.className = 'badge on';
    badge.textContent = `${env.threads} threads · ${kernels} · cross-origin isolated`;
    badge.title =
      'the worker pool shares the wasm memory (SharedArrayBuffer) and splits large GEMMs';
  } else {
    badge.className = 'badge off';
    const why = !env.crossOriginIsolated
      ? ' · page not cross-origin isolated (use rnnscope serve)'
      : '';
    badge.textContent = `single-threaded · ${kernels}${why}`;
    badge.title = env.fallbackReason ?? '';
  }
}
