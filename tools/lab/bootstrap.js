/*
 * Entry point. Loads the prebuilt (federated) lab extensions that the server lists in the page
 * config, lets webpack's module federation settle which copy of each shared package every container
 * uses, and only then imports the application (index.js), as JupyterLab's own bootstrap does.
 */
function pageConfig() {
  const el = document.getElementById('jupyter-config-data');
  return el ? JSON.parse(el.textContent || '{}') : {};
}

const config = pageConfig();
// eslint-disable-next-line no-undef
__webpack_public_path__ = `${config.fullStaticUrl}/`;

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onerror = () => reject(new Error(`could not load ${url}`));
    script.onload = resolve;
    script.async = true;
    document.head.appendChild(script);
    script.src = url;
  });
}

async function loadContainer(data) {
  await loadScript(`${config.fullLabextensionsUrl}/${data.name}/${data.load}`);
  // eslint-disable-next-line no-undef
  await __webpack_init_sharing__('default');
  // eslint-disable-next-line no-undef
  await window._JUPYTERLAB[data.name].init(__webpack_share_scopes__.default);
}

void (async () => {
  const federated = config.federated_extensions || [];
  const loaded = await Promise.allSettled(federated.map(loadContainer));
  loaded.forEach(r => r.status === 'rejected' && console.error(r.reason));
  const { main } = await import('./index.js');
  const ready = () => main(federated.filter((_, i) => loaded[i].status === 'fulfilled'));
  if (document.readyState === 'complete') void ready();
  else window.addEventListener('load', ready);
})();
