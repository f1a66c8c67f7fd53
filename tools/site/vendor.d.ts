// markdown-it-texmath ships no types; the site uses it as a markdown-it plugin only.
declare module "markdown-it-texmath" {
  import type { PluginWithOptions } from "markdown-it";
  const texmath: PluginWithOptions<{ engine: { renderToString(tex: string, options?: object): string }; delimiters?: string | string[]; outerSpace?: boolean }>;
  export default texmath;
}
