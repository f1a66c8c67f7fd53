/*
 * llm-dynamics-plotly: a JupyterLab 4 MIME renderer for `application/vnd.plotly.v1+json`.
 *
 * The course's `show(figure(...))` sends each figure as a display bundle with the plotly spec, an HTML
 * version whose script draws it, and a line of text (src/figure.ts). JupyterLab runs the HTML's script
 * only in trusted notebooks, so a notebook opened from someone else shows no live figure. This
 * renderer draws the spec itself. It is declared safe: drawing a plotly spec runs no code from the
 * notebook (plotly.js escapes the text in a spec), so it also draws in untrusted notebooks. Its rank
 * is below the HTML renderer's, so JupyterLab picks it whenever it is installed.
 *
 * plotly.js is not bundled: `npm run kernel:install` copies the course's own plotly.js-dist-min
 * (plotly.min.js, plotly.js 3) next to this extension's scripts, and the first figure loads it from
 * there with a script tag (plotly.js 3 sets window.Plotly). The spec is cloned before drawing because
 * plotly.js writes into the objects it is given, and the output's data is saved with the notebook.
 *
 * Built into labextension/ with @jupyterlab/builder's `build-labextension` (see tools/lab/README.md).
 */
import { Widget } from '@lumino/widgets';

export const MIME_TYPE = 'application/vnd.plotly.v1+json';
const PLOTLY_MAJOR = '3.';

let plotlyLoading = null;

/** plotly.js 3, loaded once per page from this extension's static folder. */
function loadPlotly() {
  if (window.Plotly && String(window.Plotly.version).startsWith(PLOTLY_MAJOR)) return Promise.resolve(window.Plotly);
  plotlyLoading =
    plotlyLoading ||
    new Promise((resolve, reject) => {
      // The folder remoteEntry.js was loaded from (webpack's publicPath "auto").
      // eslint-disable-next-line no-undef
      const src = `${__webpack_public_path__}plotly.min.js`;
      const script = document.createElement('script');
      script.src = src;
      script.async = true;
      script.onload = () =>
        window.Plotly ? resolve(window.Plotly) : reject(new Error(`${src} loaded but defined no window.Plotly`));
      script.onerror = () =>
        reject(new Error(`could not load plotly.js from ${src}; run \`npm run kernel:install\` again to reinstall the extension`));
      document.head.appendChild(script);
    }).catch(error => {
      plotlyLoading = null; // let a later figure try again
      throw error;
    });
  return plotlyLoading;
}

/** One figure output: a Lumino widget whose node plotly.js draws into. */
export class PlotlyRenderer extends Widget {
  constructor(options) {
    super();
    this.mimeType = options.mimeType;
    this.addClass('llmd-plotly');
    this.plotly = null;
  }

  async renderModel(model) {
    const spec = JSON.parse(JSON.stringify(model.data[this.mimeType] || {}));
    try {
      this.plotly = await loadPlotly();
      await this.plotly.react(this.node, {
        data: spec.data || [],
        layout: spec.layout || {},
        config: spec.config || {},
        frames: spec.frames
      });
    } catch (error) {
      this.node.textContent = `This figure could not be drawn: ${error.message}`;
      this.node.classList.add('llmd-plotly-error');
      throw error;
    }
  }

  onAfterShow() {
    this.resize();
  }

  onResize() {
    this.resize();
  }

  resize() {
    if (this.plotly && this.isVisible && this.node.querySelector('.main-svg')) this.plotly.Plots.resize(this.node);
  }

  dispose() {
    if (this.plotly && !this.isDisposed) this.plotly.purge(this.node);
    super.dispose();
  }
}

const extension = {
  id: 'llm-dynamics-plotly:renderer',
  description: 'Draws plotly figures (application/vnd.plotly.v1+json) with the course plotly.js 3, with or without trust.',
  rendererFactory: {
    safe: true,
    mimeTypes: [MIME_TYPE],
    defaultRank: 0,
    createRenderer: options => new PlotlyRenderer(options)
  },
  rank: 0,
  dataType: 'json'
};

export default extension;
