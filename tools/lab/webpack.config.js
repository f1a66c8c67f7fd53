/*
 * JupyterLab 4.6's front end, assembled from its npm packages in the shape of jupyterlab's
 * examples/app, plus module federation so that prebuilt ("federated") lab extensions found in the
 * Jupyter data folders load as they do in a pip-installed JupyterLab.
 *
 *     LLMD_LAB_BUILD=/abs/out npx webpack --config webpack.config.js
 *
 * The share scope follows @jupyterlab/core-meta (JupyterLab's own staging/package.json of the same
 * release): every package it lists that is installed here is shared, and its singletons are
 * singletons, so an extension built with `build-labextension --core-path` against that metadata gets
 * the lab's copies of @jupyterlab/* and @lumino/*.
 */
const path = require('path');
const fs = require('fs');
const webpack = require('webpack');
const { merge } = require('webpack-merge');
const { Build } = require('@jupyterlab/builder');
const baseConfig = require('@jupyterlab/builder/lib/webpack.config.base');
const core = require('@jupyterlab/core-meta/core.package.json');
const app = require('./package.json');
const { extensions, mimeExtensions } = require('./plugins.json');

const buildDir = path.resolve(process.env.LLMD_LAB_BUILD || path.join(__dirname, 'build'));
fs.mkdirSync(buildDir, { recursive: true });

// Settings schemas and themes of the extensions, and a style.js importing their CSS.
const assetConfigs = Build.ensureAssets({ packageNames: [...extensions, ...mimeExtensions], output: buildDir });

// The plugin packages as a module of lazy imports, for index.js (webpack needs literal import paths).
const lazy = names => `{\n${names.map(n => `  ${JSON.stringify(n)}: () => import(${JSON.stringify(n)})`).join(',\n')}\n}`;
fs.writeFileSync(
  path.join(buildDir, 'plugins.js'),
  `export const extensions = ${lazy(extensions)};\nexport const mimeExtensions = ${lazy(mimeExtensions)};\n`
);

function installedVersion(name) {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    return null;
  }
}

// Extensions may bring newer patch or minor releases of a shared package; the app takes its own
// installed version as the floor.
const shared = {};
for (const name of Object.keys({ ...core.resolutions, ...app.dependencies })) {
  const version = installedVersion(name);
  if (version === null || name === '@jupyterlab/core-meta') continue;
  shared[name] = { requiredVersion: `^${version}`, version };
}
for (const name of core.jupyterlab.singletonPackages) if (shared[name]) shared[name].singleton = true;

module.exports = [
  merge(baseConfig, {
    mode: 'development',
    devtool: false,
    entry: { main: path.join(__dirname, 'bootstrap.js') },
    output: {
      path: buildDir,
      filename: 'bundle.js',
      chunkFilename: '[name].[contenthash].js',
      // Set at run time from the page config (bootstrap.js), as JupyterLab does.
      publicPath: 'auto'
    },
    resolve: {
      // The generated style.js and plugins.js live in the build folder, outside this package.
      modules: [path.join(__dirname, 'node_modules'), 'node_modules'],
      alias: { 'llmd-lab-style$': path.join(buildDir, 'style.js'), 'llmd-lab-plugins$': path.join(buildDir, 'plugins.js') }
    },
    module: {
      // @jupyter/web-components imports files without their extension.
      rules: [{ test: /\.m?js$/, resolve: { fullySpecified: false } }]
    },
    plugins: [
      new webpack.container.ModuleFederationPlugin({
        library: { type: 'var', name: ['_JUPYTERLAB', 'CORE_LIBRARY_FEDERATION'] },
        name: 'CORE_FEDERATION',
        shared
      })
    ]
  })
].concat(assetConfigs);
