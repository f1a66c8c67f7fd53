/**
 * Eigenvalues of a transition matrix, block by block.
 *
 * Numbering the states class by class in the order of the class decomposition makes T block
 * triangular, with the classes' own sub-matrices on the diagonal. The eigenvalues of T are therefore
 * those of the diagonal blocks, with multiplicity. A page chain is nearly acyclic — almost every
 * class is one page — so almost every eigenvalue is simply a diagonal entry T[s, s], exact and free.
 * Blocks larger than one state go to a dense real eigen-solver: balancing, reduction to Hessenberg
 * form and the shifted QR algorithm (the classical EISPACK `balanc`/`elmhes`/`hqr` sequence). mathjs
 * `eigs` is not used here because it fails to converge on permutation blocks, which are exactly the
 * periodic orbits of Remark 5.C.
 *
 *     eigenvaluesDense([[0, 1], [1, 0]], 2);   // [{re: 1, im: 0}, {re: -1, im: 0}] in some order
 */
import type { ClassDecomposition } from "./classes";
import type { SparseStochasticMatrix } from "./sparse";
import { describe } from "./validate";

export interface Complex {
  re: number;
  im: number;
}

export const modulus = (z: Complex): number => Math.hypot(z.re, z.im);

/** Largest dense block handed to the QR algorithm (O(m^3) time, O(m^2) memory). */
export const EIGEN_BLOCK_LIMIT = 3000;

/** All eigenvalues of T with multiplicity, sorted by modulus, largest first. */
export function blockEigenvalues(T: SparseStochasticMatrix, classes: ClassDecomposition): Complex[] {
  const out: Complex[] = [];
  for (let c = 0; c < classes.count; c++) {
    const mem = classes.members(c);
    if (mem.length === 1) {
      out.push({ re: T.get(mem[0], mem[0]), im: 0 });
      continue;
    }
    out.push(...classEigenvalues(T, mem, c));
  }
  return sortByModulus(out);
}

function classEigenvalues(T: SparseStochasticMatrix, members: Int32Array, c: number): Complex[] {
  if (members.length > EIGEN_BLOCK_LIMIT) {
    throw new RangeError(`eigenvalues: class ${c} has ${members.length} states, above the dense limit ${EIGEN_BLOCK_LIMIT}`);
  }
  return eigenvaluesDense(T.denseBlock(members), members.length);
}

/**
 * The `count` largest eigenvalue moduli, with multiplicity, descending — without materialising the
 * spectrum, so it stays cheap on page chains with millions of single-page classes.
 */
export function largestModuli(T: SparseStochasticMatrix, classes: ClassDecomposition, count: number): number[] {
  const top: number[] = [];
  const offer = (v: number) => {
    if (top.length === count && v <= top[count - 1]) return;
    let i = top.length < count ? top.length : count - 1;
    top[i] = v;
    while (i > 0 && top[i - 1] < top[i]) {
      [top[i - 1], top[i]] = [top[i], top[i - 1]];
      i--;
    }
  };
  const { n, rowStart, col, value } = T;
  // A one-state class contributes its diagonal entry. Those are read state by state in memory
  // order (a walk in class order would jump around the rows at random); when every class is one
  // state, no class size needs to be looked up at all (nor the states grouped by class).
  const allSingle = classes.count === n;
  const of = classes.of, start = allSingle ? new Int32Array(0) : classes.start;
  for (let s = 0; s < n; s++) {
    if (!allSingle) {
      const c = of[s];
      if (start[c + 1] - start[c] !== 1) continue;
    }
    let d = 0;
    for (let e = rowStart[s]; e < rowStart[s + 1]; e++) if (col[e] === s) d += value[e];
    offer(Math.abs(d));
  }
  if (!allSingle) {
    for (let c = 0; c < classes.count; c++) {
      if (start[c + 1] - start[c] > 1) for (const z of classEigenvalues(T, classes.members(c), c)) offer(modulus(z));
    }
  }
  return top;
}

export function sortByModulus(values: Complex[]): Complex[] {
  return values.sort((a, b) => modulus(b) - modulus(a) || b.re - a.re || b.im - a.im);
}

/** Eigenvalues of a dense real m × m matrix (row-major array, or rows). */
export function eigenvaluesDense(matrix: Float64Array | readonly (readonly number[])[], m?: number): Complex[] {
  const n = m ?? (matrix as readonly number[][]).length;
  // A non-finite entry makes the QR sweeps compare NaNs forever: refuse it up front.
  if (matrix instanceof Float64Array) {
    if (!Number.isInteger(n) || n < 0 || matrix.length !== n * n) throw new RangeError(`matrix must hold m × m = ${n} × ${n} entries; got ${matrix.length}`);
    for (let e = 0; e < matrix.length; e++) {
      if (!Number.isFinite(matrix[e])) throw new RangeError(`matrix[${Math.floor(e / n)}][${e % n}] must be a finite number; got ${describe(matrix[e])}`);
    }
  } else {
    if (!Array.isArray(matrix)) throw new TypeError(`matrix must be an array of rows; got ${describe(matrix)}`);
    matrix.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== n) throw new RangeError(`matrix must be square: row ${i} must have ${n} entries; got ${describe(row)}`);
      row.forEach((v, j) => {
        if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`matrix[${i}][${j}] must be a finite number; got ${describe(v)}`);
      });
    });
  }
  // 1-based working copy, as in the EISPACK/Numerical Recipes formulation of these routines.
  const a: Float64Array[] = [new Float64Array(n + 1)];
  for (let i = 1; i <= n; i++) {
    const row = new Float64Array(n + 1);
    for (let j = 1; j <= n; j++) {
      row[j] = matrix instanceof Float64Array ? matrix[(i - 1) * n + (j - 1)] : (matrix as number[][])[i - 1][j - 1];
    }
    a.push(row);
  }
  balance(a, n);
  hessenberg(a, n);
  return qrEigenvalues(a, n);
}

function balance(a: Float64Array[], n: number): void {
  const RADIX = 2, sqrdx = RADIX * RADIX;
  let done = false;
  while (!done) {
    done = true;
    for (let i = 1; i <= n; i++) {
      let r = 0, c = 0;
      for (let j = 1; j <= n; j++) {
        if (j !== i) {
          c += Math.abs(a[j][i]);
          r += Math.abs(a[i][j]);
        }
      }
      if (c && r) {
        let g = r / RADIX, f = 1;
        const s = c + r;
        while (c < g) {
          f *= RADIX;
          c *= sqrdx;
        }
        g = r * RADIX;
        while (c > g) {
          f /= RADIX;
          c /= sqrdx;
        }
        if ((c + r) / f < 0.95 * s) {
          done = false;
          g = 1 / f;
          for (let j = 1; j <= n; j++) a[i][j] *= g;
          for (let j = 1; j <= n; j++) a[j][i] *= f;
        }
      }
    }
  }
}

/** Reduction to upper Hessenberg form by stabilised elementary similarity transforms. */
function hessenberg(a: Float64Array[], n: number): void {
  for (let m = 2; m < n; m++) {
    let x = 0, i = m;
    for (let j = m; j <= n; j++) {
      if (Math.abs(a[j][m - 1]) > Math.abs(x)) {
        x = a[j][m - 1];
        i = j;
      }
    }
    if (i !== m) {
      for (let j = m - 1; j <= n; j++) [a[i][j], a[m][j]] = [a[m][j], a[i][j]];
      for (let j = 1; j <= n; j++) [a[j][i], a[j][m]] = [a[j][m], a[j][i]];
    }
    if (x) {
      for (let r = m + 1; r <= n; r++) {
        let y = a[r][m - 1];
        if (y !== 0) {
          y /= x;
          a[r][m - 1] = y;
          for (let j = m; j <= n; j++) a[r][j] -= y * a[m][j];
          for (let j = 1; j <= n; j++) a[j][m] += y * a[j][r];
        }
      }
    }
  }
  for (let i = 3; i <= n; i++) for (let j = 1; j < i - 1; j++) a[i][j] = 0;
}

const sign = (a: number, b: number): number => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/** Francis double-shift QR on an upper Hessenberg matrix. */
function qrEigenvalues(a: Float64Array[], n: number): Complex[] {
  const wr = new Float64Array(n + 1), wi = new Float64Array(n + 1);
  let anorm = 0;
  for (let i = 1; i <= n; i++) for (let j = Math.max(i - 1, 1); j <= n; j++) anorm += Math.abs(a[i][j]);
  let nn = n, t = 0;
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0;
  while (nn >= 1) {
    let its = 0, l: number;
    do {
      for (l = nn; l >= 2; l--) {
        s = Math.abs(a[l - 1][l - 1]) + Math.abs(a[l][l]);
        if (s === 0) s = anorm;
        if (Math.abs(a[l][l - 1]) + s === s) {
          a[l][l - 1] = 0;
          break;
        }
      }
      x = a[nn][nn];
      if (l === nn) {
        wr[nn] = x + t;
        wi[nn--] = 0;
      } else {
        y = a[nn - 1][nn - 1];
        w = a[nn][nn - 1] * a[nn - 1][nn];
        if (l === nn - 1) {
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + sign(z, p);
            wr[nn - 1] = wr[nn] = x + z;
            if (z) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = -(wi[nn] = z);
          }
          nn -= 2;
        } else {
          if (its === 120) throw new RangeError(`eigenvalues: the QR iteration did not converge for a ${n} × ${n} block`);
          if (its % 10 === 0 && its > 0) {
            // Exceptional shift: breaks the symmetry of permutation-like blocks.
            t += x;
            for (let i = 1; i <= nn; i++) a[i][i] -= x;
            s = Math.abs(a[nn][nn - 1]) + Math.abs(a[nn - 1][nn - 2]);
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          let m: number;
          for (m = nn - 2; m >= l; m--) {
            z = a[m][m];
            r = x - z;
            s = y - z;
            p = (r * s - w) / a[m + 1][m] + a[m][m + 1];
            q = a[m + 1][m + 1] - z - r - s;
            r = a[m + 2][m + 1];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(a[m][m - 1]) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(a[m - 1][m - 1]) + Math.abs(z) + Math.abs(a[m + 1][m + 1]));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            a[i][i - 2] = 0;
            if (i !== m + 2) a[i][i - 3] = 0;
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = a[k][k - 1];
              q = a[k + 1][k - 1];
              r = 0;
              if (k !== nn - 1) r = a[k + 2][k - 1];
              if ((x = Math.abs(p) + Math.abs(q) + Math.abs(r)) !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            if ((s = sign(Math.sqrt(p * p + q * q + r * r), p)) !== 0) {
              if (k === m) {
                if (l !== m) a[k][k - 1] = -a[k][k - 1];
              } else {
                a[k][k - 1] = -s * x;
              }
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              for (let j = k; j <= nn; j++) {
                p = a[k][j] + q * a[k + 1][j];
                if (k !== nn - 1) {
                  p += r * a[k + 2][j];
                  a[k + 2][j] -= p * z;
                }
                a[k + 1][j] -= p * y;
                a[k][j] -= p * x;
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                p = x * a[i][k] + y * a[i][k + 1];
                if (k !== nn - 1) {
                  p += z * a[i][k + 2];
                  a[i][k + 2] -= p * r;
                }
                a[i][k + 1] -= p * q;
                a[i][k] -= p;
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  const out: Complex[] = [];
  for (let i = 1; i <= n; i++) out.push({ re: wr[i], im: wi[i] });
  return out;
}
