/*
 * Per-core peak float64 FMA throughput at 128, 256 and 512 bits (what wasm SIMD, AVX2 and
 * AVX-512 can issue), measured with 12 independent accumulator chains so that neither latency
 * nor memory limits it. Built and run by bench/gemm-ceiling.mjs (gcc -O2 -mfma).
 * Output: one line per width, "bits GFLOP/s".
 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#define CHAINS 12
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

__attribute__((noinline)) static double f128(long it) {
  __m128d a[CHAINS], b = _mm_set1_pd(1.0000001), c = _mm_set1_pd(0.999999);
  for (int i = 0; i < CHAINS; i++) a[i] = _mm_set1_pd(i);
  for (long k = 0; k < it; k++)
#pragma GCC unroll 12
    for (int i = 0; i < CHAINS; i++) a[i] = _mm_fmadd_pd(a[i], b, c);
  __m128d s = a[0];
  for (int i = 1; i < CHAINS; i++) s = _mm_add_pd(s, a[i]);
  return _mm_cvtsd_f64(s);
}

__attribute__((target("avx2,fma"), noinline)) static double f256(long it) {
  __m256d a[CHAINS], b = _mm256_set1_pd(1.0000001), c = _mm256_set1_pd(0.999999);
  for (int i = 0; i < CHAINS; i++) a[i] = _mm256_set1_pd(i);
  for (long k = 0; k < it; k++)
#pragma GCC unroll 12
    for (int i = 0; i < CHAINS; i++) a[i] = _mm256_fmadd_pd(a[i], b, c);
  __m256d s = a[0];
  for (int i = 1; i < CHAINS; i++) s = _mm256_add_pd(s, a[i]);
  return s[0];
}

__attribute__((target("avx512f"), noinline)) static double f512(long it) {
  __m512d a[CHAINS], b = _mm512_set1_pd(1.0000001), c = _mm512_set1_pd(0.999999);
  for (int i = 0; i < CHAINS; i++) a[i] = _mm512_set1_pd(i);
  for (long k = 0; k < it; k++)
#pragma GCC unroll 12
    for (int i = 0; i < CHAINS; i++) a[i] = _mm512_fmadd_pd(a[i], b, c);
  __m512d s = a[0];
  for (int i = 1; i < CHAINS; i++) s = _mm512_add_pd(s, a[i]);
  return s[0];
}

static void run(int bits, double (*f)(long)) {
  const long it = 20000000;
  double best = 1e30;
  volatile double sink = 0;
  for (int r = 0; r < 7; r++) {
    double t = now();
    sink += f(it);
    t = now() - t;
    if (t < best) best = t;
  }
  printf("%d %.2f\n", bits, CHAINS * (bits / 64) * 2.0 * it / best / 1e9);
}

int main(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("fma")) run(128, f128);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) run(256, f256);
  if (__builtin_cpu_supports("avx512f")) run(512, f512);
  return 0;
}
