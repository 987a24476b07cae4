/** Fixed-point tolerance options shared by `fixedpoints` and the experiment commands. */
import { Option } from 'commander';
import { positiveNumber } from './options.js';

/** `--tol-fixed <q>`: q = ½‖F‖² at or below which a point counts as fixed. */
export function tolFixedOption(): Option {
  return new Option(
    '--tol-fixed <q>',
    'q at or below which a point is fixed (default ½·N·1e-22)',
  ).argParser(positiveNumber);
}

/** `--tol-slow <q>`: q at or below which a point counts as slow. */
export function tolSlowOption(): Option {
  return new Option(
    '--tol-slow <q>',
    'q at or below which a point is slow (default ½·N·1e-8)',
  ).argParser(positiveNumber);
}
