// Lint with the kept typescript-eslint recommended rules; generated and vendored folders are skipped.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "figures/", "build/", "test-artifacts/", "**/*.ipynb", "tools/lab/node_modules/", "tools/lab/build/", "tools/lab/plotly-extension/labextension/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", require: "readonly", module: "writable", __dirname: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    // tools/lab: the lab app and renderer run in the browser; their build scripts are CommonJS for Node.
    files: ["tools/lab/**/*.js"],
    languageOptions: { globals: { window: "readonly", document: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
