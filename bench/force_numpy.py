"""FORCE (Sussillo & Abbott 2009) in numpy: the reference rnnscope's FORCE trainer is timed against.

Same algorithm and sizes as `trainForce` on the seed-000 flip-flop: N units, g = 1.5, tau = 10,
dt = 1, feedback and input weights U(-s, s), RLS every `delta` steps with P(0) = I/alpha.

  --variant blas      P kept in Fortran order and updated in place by scipy's dsymv + dsyr
                      (lower triangle): the fast numpy version.
  --variant textbook  k = P @ r and P -= c * np.outer(k, k): the usual numpy code.

Prints one JSON line: steps run, wall seconds, seconds per step, and the extrapolation to --steps
when --max-seconds stopped it early. Thread count: set OPENBLAS_NUM_THREADS in the environment.
"""
import argparse, json, time
import numpy as np
from scipy.linalg.blas import dsymv, dsyr

ap = argparse.ArgumentParser()
ap.add_argument("--units", type=int, default=1000)
ap.add_argument("--steps", type=int, default=30000)
ap.add_argument("--bits", type=int, default=3)
ap.add_argument("--variant", choices=["blas", "textbook"], default="blas")
ap.add_argument("--max-seconds", type=float, default=1e9)
ap.add_argument("--seed", type=int, default=0)
a = ap.parse_args()

N, T, K = a.units, a.steps, a.bits
rng = np.random.default_rng(a.seed)
J = 1.5 * rng.standard_normal((N, N)) / np.sqrt(N)
wfb = rng.uniform(-1.5, 1.5, (N, K))
win = rng.uniform(-6, 6, (N, K))
# Jang's flip-flop stream: floor(0.02 T) pulses of 10 steps, random channel and sign.
u = np.zeros((T, K))
for t0 in np.sort(rng.choice(T, int(0.02 * T), replace=False)):
    if t0 + 10 <= T:
        u[t0:t0 + 10, rng.integers(K)] = rng.choice([-1.0, 1.0])
y = np.zeros((T, K))
held = np.zeros(K)
for t in range(T):
    held = np.where(u[t] != 0, u[t], held)
    y[t] = held

alpha, delta, h = 1.0, 2, 0.1
wout = np.zeros((K, N))
P = np.asfortranarray(np.eye(N) / alpha)
x = 0.5 * rng.standard_normal(N)
r = np.tanh(x)
z = wout @ r
t0 = time.perf_counter()
done = T
for t in range(T):
    x += h * (-x + J @ r + wfb @ z + win @ u[t])
    r = np.tanh(x)
    z = wout @ r
    if (t + 1) % delta == 0:
        if a.variant == "blas":
            k = dsymv(1.0, P, r, lower=1)
            c = 1.0 / (1.0 + r @ k)
            P = dsyr(-c, k, a=P, lower=1, overwrite_a=1)
        else:
            k = P @ r
            c = 1.0 / (1.0 + r @ k)
            P -= c * np.outer(k, k)
        e = z - y[t]
        wout -= c * np.outer(e, k)
        z = wout @ r
    if (t & 255) == 255 and time.perf_counter() - t0 > a.max_seconds:
        done = t + 1
        break
wall = time.perf_counter() - t0
print(json.dumps({"variant": a.variant, "steps": done, "seconds": wall, "perStep": wall / done,
                  "extrapolated": done < T, "secondsFull": wall / done * T,
                  "woutNorm": float(np.linalg.norm(wout))}))
