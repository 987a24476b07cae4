// General real eigenproblem kernels, driven by src/linalg/wasm/eig.ts: blocked Hessenberg
// reduction and Qᵀ, Francis double-shift QR, Schur-form eigenvectors and their inverse.

export { hessenbergReduce, hessenbergFormQt } from './eig-hessenberg';
export { francis, francisWorkBytes, aedWorkBytes, francisLogBytes } from './eig-francis';
export { schurVectors, invertBlockLower } from './eig-vectors';
export { eigWorkShort } from './eig-util';
