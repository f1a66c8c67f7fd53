/*
 * Builds the llm-dynamics-plotly lab extension (plotly-extension/) into a prebuilt ("federated")
 * JupyterLab extension with @jupyterlab/builder's build-labextension, the tool behind
 * `jupyter labextension build`.
 *
 *     node build-extension.js                 # rebuild plotly-extension/labextension (committed)
 *     node build-extension.js --out <dir>     # build elsewhere (the lab test compares the two)
 *
 * build-labextension needs JupyterLab's core package.json (`--core-path`) to know which packages the
 * lab shares; that is @jupyterlab/core-meta, JupyterLab's staging/package.json published on npm, so
 * no Python JupyterLab is needed. The build runs in a fixed staging folder inside this package, so
 * the output (webpack's deterministic module ids and content hashes) does not depend on where the
 * clone is, and the committed build can be checked byte for byte.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const HERE = __dirname;
const SOURCE = path.join(HERE, 'plotly-extension');
const FILES = ['package.json', 'index.js'];

function main(argv) {
  if (argv.includes('--help')) {
    console.log('usage: node build-extension.js [--out <dir>]   (default: plotly-extension/labextension)');
    return 0;
  }
  const outIndex = argv.indexOf('--out');
  if (outIndex !== -1 && !argv[outIndex + 1]) throw new Error('--out needs a folder; got nothing');
  const out = path.resolve(outIndex === -1 ? path.join(SOURCE, 'labextension') : argv[outIndex + 1]);

  const staging = path.join(HERE, 'node_modules', '.llmd-extension-build');
  const core = path.join(staging, 'core');
  const pkg = path.join(staging, 'llm-dynamics-plotly');
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(core, { recursive: true });
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(require.resolve('@jupyterlab/core-meta/core.package.json'), path.join(core, 'package.json'));
  for (const f of FILES) fs.copyFileSync(path.join(SOURCE, f), path.join(pkg, f));

  console.log(`building ${SOURCE} with @jupyterlab/builder ${require('@jupyterlab/builder/package.json').version} ` +
    `against @jupyterlab/core-meta ${require('@jupyterlab/core-meta/package.json').version}…`);
  const builder = require.resolve('@jupyterlab/builder/lib/build-labextension.js');
  const run = spawnSync(process.execPath, [builder, '--core-path', path.relative(HERE, core), path.relative(HERE, pkg)], {
    cwd: HERE,
    stdio: 'inherit'
  });
  if (run.status !== 0) throw new Error(`build-labextension failed (exit ${run.status})`);

  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(path.join(pkg, 'labextension'), out, { recursive: true });
  fs.rmSync(staging, { recursive: true, force: true });
  console.log(`built ${out}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`build-extension: ${e.message}`);
  process.exitCode = 1;
}
