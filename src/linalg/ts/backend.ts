/**
 * The plain-TypeScript reference backend. Every other backend is tested against this one, so it
 * favours clarity and well-known published algorithms over the last factor of speed.
 */
import type { LinalgBackend } from '../backend.js';
import { cholesky } from './cholesky.js';
import { eig } from './eig.js';
import { eigSym } from './eigsym.js';
import { gemm, gemv } from './gemm.js';
import { lu, solve } from './lu.js';
import { qr } from './qr.js';
import { svd } from './svd.js';
import { syrk } from './syrk.js';

export const tsBackend: LinalgBackend = {
  name: 'ts',
  gemm,
  gemv,
  syrk,
  lu,
  solve,
  cholesky,
  qr,
  eigSym,
  eig,
  svd,
};
