/*
 * The application: JupyterLab's core plugins from npm (listed in plugins.json) plus the federated
 * extensions bootstrap.js loaded. Plugins whose id mentions the language server are left out (this
 * lab has no LSP). The started app is exposed as window.jupyterapp for the browser test.
 */
import 'llmd-lab-style';
import { JupyterLab } from '@jupyterlab/application';
import { JupyterPluginRegistry } from '@jupyterlab/coreutils';
import { IServiceManager } from '@jupyterlab/services';
import { extensions, mimeExtensions } from 'llmd-lab-plugins';

function pluginsOf(module) {
  const exported = Object.prototype.hasOwnProperty.call(module, '__esModule') ? module.default : module;
  return (Array.isArray(exported) ? exported : [exported]).filter(p => !p.id.includes(':language-server'));
}

async function federatedModule(scope, module) {
  const factory = await window._JUPYTERLAB[scope].get(module);
  return factory();
}

export async function main(federated) {
  const plugins = [];
  const mimePlugins = [];
  for (const load of Object.values(extensions)) plugins.push(...pluginsOf(await load()));
  for (const load of Object.values(mimeExtensions)) mimePlugins.push(...pluginsOf(await load()));
  for (const data of federated) {
    try {
      if (data.extension) plugins.push(...pluginsOf(await federatedModule(data.name, data.extension)));
      if (data.mimeExtension) mimePlugins.push(...pluginsOf(await federatedModule(data.name, data.mimeExtension)));
      if (data.style) await federatedModule(data.name, data.style);
    } catch (e) {
      console.error(`federated extension ${data.name} failed to load`, e);
    }
  }

  const registry = new JupyterPluginRegistry();
  registry.registerPlugins(plugins);
  const serviceManager = await registry.resolveRequiredService(IServiceManager);
  const lab = new JupyterLab({ pluginRegistry: registry, serviceManager, mimeExtensions: mimePlugins });
  window.jupyterapp = lab;
  await lab.start({ bubblingKeydown: true });
  await lab.restored;
  console.log('llm-dynamics lab: restored');
}
