/**
 * The words of the 6.C workbook: the introduction and one question per exercise, written for this
 * course (the seed's Remark 6.C lost its formulas; the questions follow the spec's reading, §5, and
 * say where the course had to choose a convention).
 *
 *     QUESTIONS["6.C.2"];   // markdown of the question
 */

export const TITLE = "Remark 6.C — the waluigi workbook";

export const INTRO = `# ${TITLE}

Eleven exercises on the waluigi toy model of Remark 6.B. Each one asks you to write a function; the
function is what gets graded, on many parameter draws you do not see, so an answer that only works for
one example will not score. Some exercises also ask you to explain a result in words: write that in the
markdown cell below the check.

**The model, with the formulas the course restored (spec §3).** Tokens are \`F\` (friendly), \`U\`
(unfriendly) and \`N\` (padding, never written by the model). A page is a string of \`k\` tokens, oldest
first. With prior $\\lambda = P(\\text{Luigi})$ and $p$ = the waluigi's chance of keeping up the act, a
page without \`U\` that holds $n$ tokens \`F\` is followed by \`F\` with probability

$$f(n) = \\frac{\\lambda + (1-\\lambda)\\,p^{n+1}}{\\lambda + (1-\\lambda)\\,p^{n}}, \\qquad 0^0 = 1,$$

and by \`U\` otherwise; a page that already holds a \`U\` is followed by \`U\` for sure. One step appends the
new token and deletes the oldest one.

**Conventions used throughout (the course's choices, not the seed's):**

- \`N\` carries no evidence either way, and a page with a \`U\` can only have come from the waluigi.
- Matrices list pages in *canonical order*: lexicographic with \`N < F < U\`, oldest token most
  significant — for $k = 2$: \`NN NF NU FN FF FU UN UF UU\`. Row = from, column = to.
- Parameters arrive as \`params = { luigiPrior: λ, pFriendly: p }\` with $0 < \\lambda < 1$ and
  $0 \\le p \\le 1$ — the edge cases $p = 0$ and $p = 1$ are graded too.
- Numbers are compared with a tolerance of about $10^{-9}$ (relative and absolute); sets are compared
  without regard to order.

**How to work.** Replace each stub's body, run the \`check(...)\` cell below it, and read the verdict: it
tries your function on a few public cases shipped with the course. Helpers you define in earlier cells
are available later, and if you define a function twice, the later definition wins — exactly as when the
notebook runs top to bottom. Keep the function names and parameter lists as given: the grader calls
them by name. The library is available as \`llm-dynamics\` (for example \`waluigiChain\`,
\`friendlyProbability\`), but each exercise can be solved from the formulas alone.`;

export const SETUP_SOURCE = `import { type Page, type WaluigiParams, check, figure, show } from "llm-dynamics";`;

export const WRITTEN_PLACEHOLDER = "_Write your answer here, in a few sentences._";

export const FIGURE_PLACEHOLDER = `// Draw the network for k = 2 here, e.g. with figure(id, traces, layout) and show(...) from llm-dynamics.
// Any parameters will do; say which ones you used in the figure's title.`;

export const QUESTIONS: Readonly<Record<string, string>> = {
  "6.C.1": `## 6.C.1 — staying friendly while the padding lasts

Start from the page $N^{k-n} F^{n}$ with $n < k$: there is still padding on the left, so the next step
deletes an \`N\` and nothing the model has read is lost. What is the probability that the next page is
$N^{k-n-1} F^{n+1}$?

Write \`stayFriendlyPadded(n, k, params)\` returning that probability.`,

  "6.C.2": `## 6.C.2 — staying friendly on a full page

Now the page is $F^{k}$: every slot holds a friendly token, so the next step deletes a real \`F\`. What is
the probability that the next page is $F^{k}$ again? Compare with 6.C.1: what happens to the evidence the
model has seen?

Write \`stayFriendlyFull(k, params)\`.`,

  "6.C.3": `## 6.C.3 — the transition network

Draw the states and transitions of the chain for $k = 2$: one node per page, one arrow per token the
model can write there, labelled with the token and its probability.

First, write \`transitionNetwork(k, params)\` returning the list of edges
\`{ from, to, token, prob }\` with \`prob > 0\`, for any $k$ (the order of the list does not matter; an edge
whose probability is zero may be left out). Then draw the network for $k = 2$ in the figure cell below —
the figure is marked by a person.`,

  "6.C.4": `## 6.C.4 — the transition matrix for k = 2

Write \`transitionMatrixK2(params)\` returning the $9 \\times 9$ matrix $T$ for $k = 2$, rows and columns in
canonical order (\`NN NF NU FN FF FU UN UF UU\`), with $T[s][s']$ the probability of moving from page $s$ to
page $s'$ in one step.`,

  "6.C.5": `## 6.C.5 — what changes as k grows?

To make "qualitative differences" measurable, look at the *reveal*: start from the empty page $N^{k}$ and
count the steps until the page first holds a \`U\`. Write \`expectedStepsToReveal(k, params)\` returning
the expected number of steps. If with positive probability the reveal never happens, return
\`Infinity\`.

Then, in the markdown cell, describe in words how the chain's behaviour changes as $k$ increases: what
stays the same, and what changes?`,

  "6.C.6": `## 6.C.6 — the limit of an infinite context window

The friendly page $F^{k}$ keeps itself with probability $f(k)$, so once there the model stays friendly for
$1/(1 - f(k))$ steps on average. Write \`contextForStickiness(steps, params)\` returning the least window
$k \\ge 1$ with $1/(1 - f(k)) \\ge$ \`steps\`, or \`Infinity\` if no finite window is enough. (When
$f(k) = 1$ the dwell time is infinite.)

Then, in words: what does the limit $k \\to \\infty$ mean for the dynamics of a language model? Is it the
same as running a model with a finite window for a very long time?`,

  "6.C.7": `## 6.C.7 — T as a function of k

Write \`transitionMatrix(k, params)\` returning the $3^{k} \\times 3^{k}$ transition matrix, pages in
canonical order. For $k = 2$ it must agree with 6.C.4.`,

  "6.C.8": `## 6.C.8 — left eigenvectors with eigenvalue 1

A probability vector $\\pi$ with $\\pi T = \\pi$ is a stationary distribution. Write
\`stationaryDistributions(k, params)\` returning one stationary distribution per closed class of the
chain (each a probability vector of length $3^{k}$ in canonical order; the order of the vectors does not
matter). Every stationary distribution is a mixture of these.

Then, in words: what do these eigenvectors say about where Dynamic GPT ends up?`,

  "6.C.9": `## 6.C.9 — the second eigenvalue

Sort the eigenvalues of $T$ by modulus, largest first, counting multiplicity. Write
\`secondEigenvalue(k, params)\` returning the second one (if the largest modulus occurs twice, the second is
that same value). Hint: apart from two self-loops, the graph of this chain has no cycles.

Then, in words: what does this eigenvalue measure, and what does it say about the friendly persona as the
window grows?`,

  "6.C.10": `## 6.C.10 — k steps at once

Write \`kStepMatrix(k, params)\` returning $T^{k}$ (canonical order). After $k$ steps every token on the
page has been replaced: which columns of $T^{k}$ can be non-zero?`,

  "6.C.11": `## 6.C.11 — absorbing sets

A set of pages is absorbing (closed) when the chain cannot leave it. Write \`closedClasses(k, params)\`
returning the *minimal* absorbing sets, each as a list of pages (order free at both levels). Look at
$p = 0$ and $p = 1$ as well as $0 < p < 1$.`,
};
