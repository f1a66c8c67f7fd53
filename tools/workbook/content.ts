/**
 * The words of the workbooks: an introduction per workbook and one question per exercise, written for
 * this course (the seed's Remark 6.C lost its formulas; the 6.C questions follow the maintainers'
 * reading and say where the course had to reconstruct a statement or choose a convention).
 *
 *     QUESTIONS["6.C.2"];   // markdown of the question
 *     INTROS["4"];          // markdown of the Remark 4 workbook's first cell
 */

export const TITLE = "Remark 6.C — the waluigi workbook";

/** How the library may be used, the same paragraph in every workbook. */
const BUILD_IT = `**Build it yourself.** The library \`llm-dynamics\` can answer most of these questions in one call
(\`waluigiChain\`, \`pageChain\`, \`MarkovChain\` and their analyses). Each exercise says which library
functions it does not allow: if your function calls one of them, \`check\` says so, names the function,
and the grader scores that exercise 0. Everything else — \`PageSpace\` for page arithmetic, your own
functions from earlier exercises, plain TypeScript — is welcome. Afterwards, the library is a good way
to check your own results outside the graded function.`;

const HOW_TO_WORK = `**How to work.** Replace each stub's body, run the \`check(...)\` cell below it, and read the verdict: it
tries your function on a few public cases shipped with the course. Helpers you define in earlier cells
are available later, and if you define a function twice, the later definition wins — exactly as when the
notebook runs top to bottom. Keep the function names and parameter lists as given: the grader calls them
by name, on many cases you do not see, so an answer that only works for one example will not score.`;

export const INTRO = `# ${TITLE}

Eleven exercises on the waluigi toy model of Remark 6.B. Each one asks you to write a function; the
function is what gets graded, on many parameter draws you do not see, so an answer that only works for
one example will not score. Some exercises also ask you to explain a result in words: write that in the
markdown cell below the check.

**The model, with the formulas the course restored** (the essay's own formulas were lost; the
conventions are collected in \`01-conventions.ipynb\`). Tokens are \`F\` (friendly), \`U\`
(unfriendly) and \`N\` (padding, never written by the model). A page is a string of \`k\` tokens, oldest
first. With prior $\\ell = P(\\text{Luigi})$ and $p$ = the waluigi's chance of keeping up the act, a
page without \`U\` that holds $n$ tokens \`F\` is followed by \`F\` with probability

$$f(n) = \\frac{\\ell + (1-\\ell)\\,p^{n+1}}{\\ell + (1-\\ell)\\,p^{n}}, \\qquad 0^0 = 1,$$

and by \`U\` otherwise; a page that already holds a \`U\` is followed by \`U\` for sure. One step appends the
new token and deletes the oldest one.

**Conventions used throughout (the course's choices, not the seed's):**

- \`N\` carries no evidence either way, and a page with a \`U\` can only have come from the waluigi.
- Matrices list pages in *canonical order*: lexicographic with \`N < F < U\`, oldest token most
  significant — for $k = 2$: \`NN NF NU FN FF FU UN UF UU\`. Row = from, column = to.
- Parameters arrive as \`params = { luigiPrior: ℓ, pFriendly: p }\` with $0 < \\ell < 1$ and
  $0 \\le p \\le 1$ — the edge cases $p = 0$ and $p = 1$ are graded too.
- Numbers are compared with a tolerance of about $10^{-9}$ (relative and absolute); sets are compared
  without regard to order.

${HOW_TO_WORK}

${BUILD_IT} In this workbook \`friendlyProbability(n, params)\` (that is $f(n)$) and
\`revealProbability(n, params)\` ($1 - f(n)$ without cancellation) are allowed from 6.C.3 on, once you
have written $f$ yourself in 6.C.1 and 6.C.2.`;

export const INTROS: Readonly<Record<string, string>> = {
  "4": `# Remark 4 — page chains, built by hand

Five exercises on the objects of Remark 4: the page space, the transition matrix of a next-token model,
distributions moving under $T$, the $k$-step matrix and stationary distributions. Each asks you to write a
function; some are easy, the last one needs a small linear solver.

**Conventions** (the course's, collected in \`01-conventions.ipynb\`): a page is a string of $k$
one-character tokens, oldest first. Pages are numbered in *canonical order*: lexicographic over the
vocabulary's own order, oldest token most significant — a page is a numeral in base $|V|$. Matrices are
indexed \`T[from][to]\`, distributions are row vectors, and one step is $\\pi \\leftarrow \\pi T$. States are
numbered from 0. A *next-token table* maps every page to its next-token distribution, for example
\`{ AB: { A: 0.9, B: 0.1 }, … }\`. Numbers are compared with a tolerance of about $10^{-9}$.

${HOW_TO_WORK}

${BUILD_IT}`,
  "5": `# Remark 5 — mode collapse, found by hand

Five exercises on the shapes of mode collapse in Remark 5: absorbing states, the periodic orbits of greedy
decoding, absorbing sets, how long absorption takes, and how temperature decides whether a page is a trap.
Each chain is given as its transition matrix \`T\` (an array of rows, \`T[from][to]\`, states numbered from
0; the conventions are in \`01-conventions.ipynb\`). Numbers are compared with a tolerance of about
$10^{-9}$; sets are compared without regard to order.

${HOW_TO_WORK}

${BUILD_IT}`,
  "6": `# Remark 6 — the waluigi's credence and dwell time

Two exercises on the waluigi toy model of Remark 6.B before the 6.C workbook: what the model believes
after reading a page, and how long the friendly page lasts. Tokens are \`F\` (friendly), \`U\` (unfriendly)
and \`N\` (padding); \`params = { luigiPrior: ℓ, pFriendly: p }\` with $0 < \\ell < 1$ and $0 \\le p \\le 1$.
Luigi always writes \`F\`; the waluigi writes \`U\` once a \`U\` is on the page, and otherwise \`F\` with
probability $p$. The course's conventions (in \`01-conventions.ipynb\`): \`N\` carries no evidence, and a
page with a \`U\` can only be the waluigi's.

${HOW_TO_WORK}

${BUILD_IT}`,
};

/** The setup cell of each workbook: the imports its stubs' types and `check` need. */
export const SETUP_SOURCES: Readonly<Record<string, string>> = {
  "4": `import { check } from "llm-dynamics";`,
  "5": `import { check } from "llm-dynamics";`,
  "6": `import { type Page, type WaluigiParams, check } from "llm-dynamics";`,
  "6C": `import { type Page, type WaluigiParams, check, figure, show } from "llm-dynamics";`,
};

export const SETUP_SOURCE = SETUP_SOURCES["6C"];

export const WRITTEN_PLACEHOLDER = "_Write your answer here, in a few sentences._";

export const FIGURE_PLACEHOLDER = `// Draw the network for k = 2 here. The library draws page networks for you (src/network.ts):
//   import { networkPlot, pageNetwork, waluigiChain, figure, show } from "llm-dynamics";
//   const { data, layout } = networkPlot(pageNetwork(waluigiChain(2, params)), { title: "…", digits: 3 });
//   show(figure("my-network", data, layout));
// or build the traces from your own transitionNetwork(2, params) with figure(id, traces, layout).
// Any parameters will do; say which ones you used in the figure's title.`;

export const QUESTIONS: Readonly<Record<string, string>> = {
  "4.1": `## 4.1 — how many pages?

A page is $k$ tokens from a vocabulary of $|V|$ tokens. How many different pages are there? For GPT-2
($|V| = 50257$, $k = 2048$) the answer has thousands of digits: write \`countPages(vocabularySize, k)\`
returning the exact number as a string of decimal digits (\`countPages(3, 2)\` is \`"9"\`). A JavaScript
\`number\` keeps only about 16 significant digits; \`BigInt\` keeps them all.

*Not allowed:* \`pageSpaceSize\`, \`PageSpace\` and the digit helpers of the library.`,

  "4.2": `## 4.2 — the transition matrix of a next-token model

A small model is given as a next-token table \`model\`: for every page, the probability of each next
token. One step of Dynamic GPT appends the sampled token and deletes the oldest one. Write
\`nextTokenMatrix(model, tokens, k)\` returning the $|V|^k \\times |V|^k$ transition matrix, pages in canonical
order over \`tokens\` (the vocabulary in its order; every token is one character).

Work a case by hand first: with \`tokens = ["A", "B"]\` and $k = 2$, which columns can be non-zero in the
row of page \`AB\`? (Only \`BA\` and \`BB\`: a row has at most $|V|$ non-zero entries.)

*Not allowed:* the library's chain builders (\`pageChain\`, \`PageChain\`, \`MarkovChain\`, …). \`PageSpace\`
is allowed.`,

  "4.3": `## 4.3 — where the chain is after n steps

Distributions are row vectors: if $\\pi_0$ is the distribution of the current state, the next one is
$\\pi_1 = \\pi_0 T$, and after $n$ steps $\\pi_n = \\pi_0 T^n$. Write \`distributionAfter(T, start, n)\`
returning $\\pi_n$ for \`start\` $= \\pi_0$. (Multiplying the vector $n$ times is much cheaper than computing
$T^n$.) A common slip is to compute $T\\pi$ instead of $\\pi T$: that uses the columns of $T$ as if they were
rows.

*Not allowed:* \`MarkovChain\`, \`SparseStochasticMatrix\` and the other chain tools of the library.`,

  "4.4": `## 4.4 — an entry of $T^k$ by following its path

After $k$ steps every token of a page has been replaced, so the page $k$ steps after \`from\` is just the
$k$ tokens written in between. Show that the intermediate pages are then fixed: after $j$ steps the page
is \`from.slice(j) + to.slice(0, j)\`. So $T^k[\\text{from}][\\text{to}]$ is a single product, not a sum over
paths. Write \`kStepProbability(model, from, to)\` returning it, for a next-token table \`model\` as in 4.2
($k$ is the length of \`from\`).

*Not allowed:* the library's chain builders and \`power\`.`,

  "4.5": `## 4.5 — the stationary distribution

A distribution $\\pi$ with $\\pi T = \\pi$ is *stationary*. For an *irreducible* chain (every state reaches
every other) there is exactly one. Write \`stationaryDistribution(T)\` returning it for an irreducible
\`T\`. Hint: $\\pi T = \\pi$ is a linear system $(T^\\top - I)\\pi^\\top = 0$ whose equations are dependent;
replace one of them by $\\sum_i \\pi_i = 1$ and solve, e.g. by Gaussian elimination. Some chains here are
periodic, so "run the chain for a long time" does not always converge.

*Not allowed:* \`MarkovChain\`, \`gth\`, \`classStationary\` and the other chain tools of the library.`,

  "5.1": `## 5.1 — absorbing states

A state $s$ is *absorbing* when the chain never leaves it: $T[s][s] = 1$. Write \`absorbingStates(T)\`
returning the absorbing states' indices (from 0; any order). A state with $T[s][s] = 0.999$ is very sticky,
but not absorbing.

*Not allowed:* \`MarkovChain\` and the other chain tools of the library.`,

  "5.2": `## 5.2 — the greedy orbit: transient and period

Greedy decoding (temperature 0) always moves to the most likely next state — the first one if several
tie. That is a deterministic map on a finite set, so from any start the trajectory eventually repeats a
state and then cycles for ever: a *transient* run of some length, then a *periodic orbit*. Write
\`greedyTrajectory(T, start)\` returning \`{ transient, period }\`: the number of steps before the
trajectory first enters its cycle, and the cycle's length (1 for an absorbing state).

*Not allowed:* \`greedyOrbit\`, \`greedyMap\`, \`greedySuccessor\` and the other chain tools of the library.`,

  "5.3": `## 5.3 — absorbing sets

A set of states is *closed* (absorbing) when no transition leaves it. The minimal closed sets are the
closed communicating classes: states that all reach each other, and reach nothing else. Write
\`closedSets(T)\` returning them, each as an array of state indices (order free at both levels). Every
finite chain has at least one.

*Not allowed:* \`MarkovChain\`, \`communicatingClasses\` and the other chain tools of the library.`,

  "5.4": `## 5.4 — how long until absorption?

Let $h(s)$ be the expected number of steps from $s$ until the chain first stands on an absorbing state.
*First-step analysis*: $h(s) = 0$ on an absorbing state, and otherwise, after one step,
$h(s) = 1 + \\sum_{s'} T[s][s']\\, h(s')$ — a linear system. Write \`expectedStepsToAbsorption(T, start)\`
returning $h(\\text{start})$, or \`Infinity\` when, with positive probability, the chain is never absorbed
(it can fall into a closed set without an absorbing state).

*Not allowed:* \`expectedHittingTimes\`, \`MarkovChain\` and the other chain tools of the library.`,

  "5.5": `## 5.5 — escaping at a temperature

A model with logits $\\ell_j$ at temperature $\\tau > 0$ writes token $j$ with probability
$e^{\\ell_j/\\tau} / \\sum_i e^{\\ell_i/\\tau}$; at $\\tau = 0$ it writes the most likely token (the first on ties).
Suppose token \`stay\` keeps the page as it is — a page of \`0\`s followed by another \`0\`. Write
\`escapeProbability(logits, stay, temperature)\` returning the probability that the next token is *not*
\`stay\`. Some cases have logits in the hundreds or temperatures of 0.01: \`Math.exp\` overflows there, and
an escape of $10^{-40}$ must not come out as 0.

Then, in the markdown cell: how does the escape probability change as the temperature falls, and what does
that say about mode collapse?

*Not allowed:* \`softmax\` and the library's text models.`,

  "6.1": `## 6.1 — the waluigi's credence after a page

What does the model believe after reading a page? Write \`waluigiCredence(page, params)\` returning the
posterior probability that the waluigi is writing, $P(W \\mid \\text{page})$, by Bayes' rule from the prior
$1 - \\ell$. Work $\\ell = 0.5$, $p = 0.5$ and the page \`NFF\` by hand first (the answer is $0.2$).

*Not allowed:* \`waluigiPosterior\`, \`friendlyProbability\`, \`revealProbability\` and the chain builders.`,

  "6.2": `## 6.2 — how long the friendly page lasts

On the full friendly page $F^k$ the model writes \`F\` with probability $f(k)$ and the page stays $F^k$; so
the number of steps until the page changes is geometric, with mean $D(k) = 1/(1 - f(k))$. Write
\`dwellTime(k, params)\` returning $D(k)$ (\`Infinity\` when $f(k) = 1$). Some cases have windows of a hundred
tokens: there $f(k)$ rounds to 1 in double precision, so simplify $1 - f(k)$ by hand into a form that does
not cancel.

Then, in the markdown cell: how does the dwell time grow with $k$, and what does it mean for a model with a
long context window?

*Not allowed:* \`friendlyProbability\`, \`revealProbability\`, \`waluigiPosterior\` and the chain builders.`,

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
model can write there, labelled with the token and its probability. (The essay's exercise lost its
symbols; the window $k = 2$ is the course's reconstruction — small enough to draw, large enough to show
every kind of page.)

First, write \`transitionNetwork(k, params)\` returning the list of edges
\`{ from, to, token, prob }\` with \`prob > 0\`, for any $k$ (the order of the list does not matter; an edge
whose probability is zero may be left out). Then draw the network for $k = 2$ in the figure cell below —
the library's \`pageNetwork\` and \`networkPlot\` draw page networks, and the figure is marked by a person.
Finally, in the markdown cell: what does the picture show about where the chain can go?`,

  "6.C.4": `## 6.C.4 — the transition matrix for k = 2

As in 6.C.3, the window $k = 2$ is the course's reconstruction of the essay's lost symbols. Write \`transitionMatrixK2(params)\` returning the $9 \\times 9$ matrix $T$ for $k = 2$, rows and columns in
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
same as running a model with a finite window for a very long time? (The essay asks about "the limit"
without its formula; the course reads it as $k \\to \\infty$ and measures it through the dwell time.)`,

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
page has been replaced, so each entry is a product along one path (as in Remark 4's exercise 4.4).
Then, in the markdown cell: which columns of $T^{k}$ can be non-zero, and why?`,

  "6.C.11": `## 6.C.11 — absorbing sets

A set of pages is absorbing (closed) when the chain cannot leave it. Write \`closedClasses(k, params)\`
returning the *minimal* absorbing sets, each as a list of pages (order free at both levels). Look at
$p = 0$ and $p = 1$ as well as $0 < p < 1$. Then, in the markdown cell: which sets are they, and what do
they say about the friendly persona?`,
};
