"""One BPTT + Adam step of a vanilla tanh RNN in numpy (float64), the reference for rnnscope's
hand-written reverse mode: N units, batch B, T steps, I inputs, O outputs, MSE on every step.
Same maths as src/train/bptt-grad.ts (time-major batches; weight gradients as single GEMMs over
the stacked T*B axis). Prints JSON: best and median seconds per step over --repeats."""
import argparse, json, time
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--units", type=int, default=100)
ap.add_argument("--batch", type=int, default=64)
ap.add_argument("--steps", type=int, default=200)
ap.add_argument("--inputs", type=int, default=3)
ap.add_argument("--outputs", type=int, default=2)
ap.add_argument("--repeats", type=int, default=10)
a = ap.parse_args()
N, B, T, I, O = a.units, a.batch, a.steps, a.inputs, a.outputs
rng = np.random.default_rng(0)
W = rng.standard_normal((N, N)) / np.sqrt(N)
Win = rng.uniform(-1, 1, (N, I))
Wout = rng.standard_normal((O, N)) / np.sqrt(N)
b = np.zeros(N)
bout = np.zeros(O)
U = rng.standard_normal((T, B, I))
Y = rng.standard_normal((T, B, O))
params = [W, Win, Wout, b, bout]
m = [np.zeros_like(p) for p in params]
v = [np.zeros_like(p) for p in params]

def step(it):
    H = np.zeros((T + 1, B, N))
    D = (U.reshape(T * B, I) @ Win.T + b).reshape(T, B, N)
    for t in range(T):
        D[t] += H[t] @ W.T
        H[t + 1] = np.tanh(D[t])
        D[t] = 1 - H[t + 1] ** 2
    Hs = H[1:].reshape(T * B, N)
    Z = Hs @ Wout.T + bout
    E = Z - Y.reshape(T * B, O)
    loss = np.mean(E ** 2)
    GZ = 2 * E / E.size
    gWout = GZ.T @ Hs
    gbout = GZ.sum(0)
    G = (GZ @ Wout).reshape(T, B, N)
    carry = np.zeros((B, N))
    for t in range(T - 1, -1, -1):
        G[t] = (G[t] + carry) * D[t]
        carry = G[t] @ W
    G2 = G.reshape(T * B, N)
    gW = G2.T @ H[:-1].reshape(T * B, N)
    gWin = G2.T @ U.reshape(T * B, I)
    gb = G2.sum(0)
    grads = [gW, gWin, gWout, gb, gbout]
    norm = np.sqrt(sum((g ** 2).sum() for g in grads))
    s = min(1.0, 1.0 / norm) if norm > 0 else 1.0
    for p, g, mm, vv in zip(params, grads, m, v):
        g = g * s
        mm *= 0.9; mm += 0.1 * g
        vv *= 0.999; vv += 0.001 * g * g
        p -= 1e-3 * (mm / (1 - 0.9 ** it)) / (np.sqrt(vv / (1 - 0.999 ** it)) + 1e-8)
    return loss

step(1)
times = []
for it in range(2, a.repeats + 2):
    t0 = time.perf_counter(); step(it); times.append(time.perf_counter() - t0)
print(json.dumps({"best": min(times), "median": float(np.median(times)), "repeats": a.repeats}))
