/**
 * Iterative solves that carry a proof of their accuracy, for blocks too large to eliminate.
 *
 * A residual alone certifies nothing on a nearly decomposable chain: a distribution spread evenly over
 * two blocks that barely talk to each other has a residual of 1e-14 and an error of 0.8. What turns a
 * residual into an error bound is a number that measures how slowly the chain forgets where it
 * started, and that number has to be bounded from the computation itself. Both solvers here do that.
 *
 * **Stationary distributions.** For a closed class with lazy transition matrix P = (I + T)/2 (same π,
 * never periodic) and an approximation π̃ (Σπ̃ = 1), let r = π̃P − π̃ and y_t = r(I + P + … + P^(t−1)) =
 * π̃P^t − π̃. Then π − π̃ = (π − π̃)P^t − y_t, and since π − π̃ sums to 0,
 * ‖(π − π̃)P^t‖₁ ≤ τ(P^t)‖π − π̃‖₁ with Dobrushin's coefficient τ(P^t) ≤ 1 − δ_t,
 * δ_t = min_i P^t(i, j*) for any fixed state j* (Doeblin's minorisation). Hence
 *
 *     ‖π − π̃‖₁ ≤ ‖y_t‖₁ / δ_t.
 *
 * δ_t is computed by iterating the column P^t e_j* (j* = the most likely state under π̃); it stays 0
 * until every state can reach j* in t steps and then grows towards π(j*), and it stays tiny for as long
 * as some state is stuck in a nearly closed block — which is exactly when a residual misleads. The
 * residual r is computed with error-free transformations (compensated dot products), so its own
 * rounding does not swamp it, and y_t is accumulated by iterating the small vector r, not π̃. Every
 * floating-point step is covered by an explicit rounding margin, so the bound is rigorous.
 *
 * **Linear systems on a transient block** (hitting probabilities and times). Write the equations of the
 * block in jump form, x = c + P̂x, where P̂ is the block's transition matrix with self-loops removed and
 * rows divided by the probability of leaving the state. For any approximation x̃ with residual
 * ρ = c + P̂x̃ − x̃, the error is e = (I − P̂)⁻¹ρ, so |e_i| ≤ u_i ‖ρ‖_∞ where u = (I − P̂)⁻¹1 is the
 * expected number of jumps before leaving the block. An upper bound for u is certified by a
 * super-solution: any w ≥ 0 with w ≥ 1 + P̂w dominates u. Gauss–Seidel on u from below gives a w̃
 * with small residual; w = w̃ / (1 − max residual) is then checked to be a super-solution, with the
 * rounding of that check included. A nearly closed block has huge exit times, the iteration cannot
 * converge within its budget, and the solver fails loudly instead of returning a guess.
 *
 *     const r = certifiedStationary(block, diagonal, { tolerance: 1e-10 });
 *     r.pi; r.errorBound;   // ‖π − r.pi‖₁ ≤ r.errorBound, proven
 */
import type { SparseBlock } from "./elimination";

const U = 2 ** -53;

export interface IterativeOptions {
  /** Largest certified error accepted (L1 for π; absolute, relative to max(1, max|x|), for systems). */
  tolerance?: number;
  /** Budget of elementary operations (multiply-adds over the block's entries). */
  workBudget?: number;
}

export const DEFAULT_CERTIFIED_TOLERANCE = 1e-9;
export const DEFAULT_ITERATIVE_WORK = 2e10;

/** a + b = s + e exactly (Knuth's TwoSum). */
function twoSum(a: number, b: number, out: [number, number]): void {
  const s = a + b, z = s - a;
  out[0] = s;
  out[1] = (a - (s - z)) + (b - z);
}

const SPLIT = 134217729; // 2^27 + 1
/** a · b = p + e exactly (Dekker's TwoProduct, by Veltkamp splitting; no overflow for probabilities). */
function twoProduct(a: number, b: number, out: [number, number]): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  out[0] = p;
  out[1] = al * bl - (((p - ah * bh) - al * bh) - ah * bl);
}

export class CertificationError extends RangeError {}

export interface StationaryCertificate {
  pi: Float64Array;
  /** Proven upper bound on ‖π − pi‖₁. */
  errorBound: number;
  steps: number;
}

/**
 * The stationary distribution of a closed irreducible block, by power iteration on the lazy chain,
 * with a proven L1 error bound. `block` holds the off-diagonal entries (exit all 0) and `diagonal`
 * the self-loop probabilities. Throws a CertificationError when the bound cannot be brought below the
 * tolerance within the work budget.
 */
export function certifiedStationary(block: SparseBlock, options: IterativeOptions = {}): StationaryCertificate {
  const tolerance = options.tolerance ?? DEFAULT_CERTIFIED_TOLERANCE;
  const budget = options.workBudget ?? DEFAULT_ITERATIVE_WORK;
  const { m, rowStart, col, value } = block;
  const nnz = col.length + m;
  // The chain is the block's off-diagonal entries with diagonal 1 − Σ off-diagonal (the convention
  // of GTH, which never reads the diagonal): rows of a validated matrix sum to 1 only within 1e-9.
  const diagonal = new Float64Array(m);
  const terms = new Int32Array(m);
  let maxRow = 0, maxTerms = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      s += value[e];
      terms[col[e]]++;
    }
    diagonal[i] = 1 - s;
    terms[i] += rowStart[i + 1] - rowStart[i];
    maxRow = Math.max(maxRow, rowStart[i + 1] - rowStart[i] + 1);
  }
  for (let i = 0; i < m; i++) maxTerms = Math.max(maxTerms, terms[i]);
  // γ: relative error of one lazy step's non-negative sums (the diagonal 1 − s, a product, a sum of
  // up to max(in-degree, out-degree) + 1 terms, a halving), with room to spare.
  const gamma = (Math.max(maxRow, maxTerms) + 8) * U * 1.01;

  // Lazy step out = v P, and column step out = P v.
  const forward = (v: Float64Array, out: Float64Array) => {
    for (let i = 0; i < m; i++) out[i] = 0.5 * (1 + diagonal[i]) * v[i];
    for (let i = 0; i < m; i++) {
      const h = 0.5 * v[i];
      if (h === 0) continue;
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) out[col[e]] += h * value[e];
    }
  };
  const backward = (v: Float64Array, out: Float64Array) => {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) s += value[e] * v[col[e]];
      out[i] = 0.5 * ((1 + diagonal[i]) * v[i] + s);
    }
  };

  // 1. The approximation: power iteration until the L1 change stalls at rounding level.
  let pi = new Float64Array(m).fill(1 / m), next = new Float64Array(m);
  let work = 0, steps = 0;
  const powerBudget = budget / 2;
  for (;;) {
    forward(pi, next);
    let change = 0;
    for (let i = 0; i < m; i++) change += Math.abs(next[i] - pi[i]);
    [pi, next] = [next, pi];
    steps++;
    work += nnz;
    if (change <= 16 * gamma || work > powerBudget) break;
  }
  let total = 0;
  for (let i = 0; i < m; i++) total += pi[i];
  for (let i = 0; i < m; i++) pi[i] /= total;

  // 2. The residual r = π̃P − π̃, each entry by a compensated sum of exact products and exact sums
  // (accurate to a few ulps of r itself), and η = Σπ̃ − 1, also compensated.
  const hi = new Float64Array(m), lo = new Float64Array(m);
  const t2: [number, number] = [0, 0], p2: [number, number] = [0, 0];
  const add = (i: number, a: number, b: number) => {
    twoProduct(a, b, p2);
    twoSum(hi[i], p2[0], t2);
    hi[i] = t2[0];
    lo[i] += t2[1] + p2[1];
  };
  for (let i = 0; i < m; i++) {
    // 0.5(1 + d)π − π = 0.5(d − 1)π, and d − 1 = −Σ off-diagonal: −0.5 π Σ_e T[i, e], exactly summed below.
    hi[i] = 0;
    lo[i] = 0;
  }
  for (let i = 0; i < m; i++) {
    const h = 0.5 * pi[i]; // exact (a halving)
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      add(col[e], h, value[e]);
      add(i, -h, value[e]);
    }
  }
  // Rows of T sum to 1 only within the matrix's tolerance: the off-diagonal sum stands in for 1 − d,
  // which is what the lazy chain's residual is over the block's own entries (the form GTH uses too).
  const r = new Float64Array(m);
  let rNorm = 0, rAbsTerms = 0;
  for (let i = 0; i < m; i++) {
    r[i] = hi[i] + lo[i];
    rNorm += Math.abs(r[i]);
  }
  for (let i = 0; i < m; i++) rAbsTerms += pi[i];
  // Error of the compensated sums: ≤ u|r_i| + γ_n² Σ|terms|; Σ|terms| over all i ≤ 2 Σπ̃ (each π̃_i
  // appears once with + weight and once with − weight, weights summing to ≤ 1).
  const g2 = ((2 * maxTerms + 4) * U) ** 2 * 1.1;
  const rError = 2 * U * rNorm + g2 * 2 * rAbsTerms;
  let eta = 0, etaLo = 0;
  for (let i = 0; i < m; i++) {
    twoSum(eta, pi[i], t2);
    eta = t2[0];
    etaLo += t2[1];
  }
  const etaAbs = Math.abs(eta - 1 + etaLo) + 4 * m * U * U;

  // 3. The certificate: y_t = Σ_{s<t} r P^s by iterating r, δ_t = min_i (P^t e_j*)_i by iterating a column.
  let star = 0;
  for (let i = 1; i < m; i++) if (pi[i] > pi[star]) star = i;
  let z = Float64Array.from(r), zNext = new Float64Array(m);
  const y = new Float64Array(m);
  let v = new Float64Array(m), vNext = new Float64Array(m);
  v[star] = 1;
  let best = Infinity, t = 0, zAbsSum = 0;
  const certBudget = budget - work;
  let certWork = 0;
  while (certWork <= certBudget) {
    for (let i = 0; i < m; i++) y[i] += z[i];
    zAbsSum += rNorm; // ‖z_s‖₁ ≤ ‖r‖₁ (P is stochastic): used for the rounding margin of y
    forward(z, zNext);
    [z, zNext] = [zNext, z];
    backward(v, vNext);
    [v, vNext] = [vNext, v];
    t++;
    certWork += 2 * nnz + 2 * m;
    let delta = Infinity;
    for (let i = 0; i < m; i++) if (v[i] < delta) delta = v[i];
    if (!(delta > 0)) continue;
    if (t % 8 !== 0 && t > 64) continue; // the bound changes slowly; test it every few steps
    let yNorm = 0;
    for (let i = 0; i < m; i++) yNorm += Math.abs(y[i]);
    // Rounding: each z_s carries accumulated relative error ≤ s·γ of ‖r‖₁, each addition into y one u.
    const yError = t * gamma * zAbsSum + t * U * zAbsSum + t * rError;
    const deltaLow = delta * (1 - t * gamma);
    if (!(deltaLow > 0)) break;
    // π̃ sums to 1 + η: the bound for π̃/(1 + η) plus the distance |η| between the two.
    const bound = ((yNorm + yError) / deltaLow) * (1 + etaAbs) + etaAbs + 2 * etaAbs;
    if (bound < best) best = bound;
    if (best <= tolerance) break;
  }
  if (!(best <= tolerance)) {
    throw new CertificationError(
      `stationary distribution: power iteration on a closed class of ${m} states could not certify an L1 error below ${tolerance} ` +
      `(best proven bound ${Number.isFinite(best) ? best.toExponential(2) : "none: some state never reached the reference state"} after ${steps} + ${t} steps); ` +
      `the class mixes too slowly (it is nearly decomposable or has very long cycles)`,
    );
  }
  return { pi, errorBound: best, steps: steps + t };
}

export interface SystemCertificate {
  x: Float64Array;
  /** Proven bound on max_i |x_i − x̃_i| (absolute). */
  errorBound: number;
  sweeps: number;
}

/**
 * Solves (D − Q)x = b on a transient block (D = exit + row sums of Q, as in `mMatrixSolve`) by
 * Gauss–Seidel, with a proven max-norm error bound from a certified bound on the exit times. Throws a
 * CertificationError when the bound cannot be brought below tolerance · max(1, max x) in budget.
 */
export function certifiedSolve(block: SparseBlock, options: IterativeOptions = {}): SystemCertificate {
  const tolerance = options.tolerance ?? DEFAULT_CERTIFIED_TOLERANCE;
  const budget = options.workBudget ?? DEFAULT_ITERATIVE_WORK;
  const { m, rowStart, col, value, exit } = block;
  const b = block.b ?? new Float64Array(m);
  const leave = new Float64Array(m);
  let maxRow = 0;
  for (let i = 0; i < m; i++) {
    let s = exit[i];
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) s += value[e];
    if (!(s > 0)) throw new RangeError(`linear solve: state ${i} of the block can never leave it (the system is singular)`);
    leave[i] = s;
    maxRow = Math.max(maxRow, rowStart[i + 1] - rowStart[i] + 2);
  }
  const gamma = (maxRow + 4) * U * 1.01;
  const nnz = col.length + m;
  let work = 0, sweeps = 0;

  // Gauss–Seidel sweeps on w = c + P̂w from w = 0 (c ≥ 0): monotone from below.
  const gaussSeidel = (w: Float64Array, c: (i: number) => number, share: number): boolean => {
    for (;;) {
      let change = 0, scale = 0;
      for (let i = 0; i < m; i++) {
        let s = c(i);
        for (let e = rowStart[i]; e < rowStart[i + 1]; e++) s += value[e] * w[col[e]];
        const nx = s / leave[i];
        change = Math.max(change, Math.abs(nx - w[i]));
        scale = Math.max(scale, Math.abs(nx));
        w[i] = nx;
      }
      sweeps++;
      work += nnz;
      if (change <= 4 * U * Math.max(scale, Number.MIN_VALUE)) return true;
      if (work > share) return false;
    }
  };

  const x = new Float64Array(m);
  gaussSeidel(x, (i) => b[i], budget / 2);
  // Residual of x in jump form, ρ_i = (b_i + Σ Q_ij x_j − leave_i x_i) / leave_i, with a margin for
  // the rounding of its evaluation (a sum of non-negative terms, then one subtraction).
  let rho = 0, xMax = 0;
  for (let i = 0; i < m; i++) {
    let s = b[i];
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) s += value[e] * x[col[e]];
    const lx = leave[i] * x[i];
    const err = gamma * (s + lx) + Math.abs(s - lx) * U;
    rho = Math.max(rho, (Math.abs(s - lx) + err) / (leave[i] * (1 - gamma)));
    xMax = Math.max(xMax, Math.abs(x[i]));
  }

  // Exit jumps: w = 1 + P̂w; then certify a super-solution.
  const w = new Float64Array(m);
  const converged = gaussSeidel(w, () => 1, budget);
  let wMax = Infinity;
  if (converged) {
    let worst = 0;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) s += value[e] * w[col[e]];
      // Upper bound of (1 + (P̂w)_i − w_i): the sum rounded up, w_i taken as is (exact).
      const pw = ((1 * leave[i] + s) / leave[i]) * (1 + 2 * gamma);
      worst = Math.max(worst, pw - w[i]);
    }
    if (worst < 1) {
      let m0 = 0;
      for (let i = 0; i < m; i++) m0 = Math.max(m0, w[i]);
      wMax = (m0 / (1 - Math.max(0, worst))) * (1 + 4 * U);
    }
  }
  const errorBound = wMax * rho * (1 + 4 * U);
  if (!(errorBound <= tolerance * Math.max(1, xMax))) {
    throw new CertificationError(
      `linear solve: Gauss–Seidel on a transient block of ${m} states could not certify an error below ${tolerance} ` +
      `(${Number.isFinite(wMax) ? `proven bound ${errorBound.toExponential(2)}, expected exit jumps ≤ ${wMax.toExponential(2)}` : "the expected time to leave the block could not be bounded: the block is nearly closed"}, after ${sweeps} sweeps)`,
    );
  }
  return { x, errorBound, sweeps };
}
