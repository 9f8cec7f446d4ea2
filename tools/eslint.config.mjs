// ESLint for the site's scripts (docs/javascripts/) and the Node tests of them
// (tools/test/): `make lint`, and tests/test_lint.py. One dialect everywhere: modern
// JavaScript (const and let, arrow callbacks, template strings, no semicolons) in
// classic scripts, since Material loads the pages' scripts and starts the search
// worker as classic ones. The reader's modules share one global, `Reader`, a
// property each (docs/javascripts/reader/main.js lists them).
import js from "@eslint/js"
import globals from "globals"

const classic = { sourceType: "script", ecmaVersion: 2022 }
const rules = {
  ...js.configs.recommended.rules,
  "no-var": "error",
  "prefer-const": "error",
  "prefer-arrow-callback": "error",
  "prefer-template": "error",
  eqeqeq: ["error", "always"],
  "no-implicit-globals": "error",
  semi: ["error", "never"],
  quotes: ["error", "double", { avoidEscape: true }],
}
// What the site's own scripts define, for those that read them.
const shared = { SearchText: "readonly", IndexFiles: "readonly" }

// Paths are the project's: run from its root as `eslint --config tools/eslint.config.mjs`
// (the config lives in tools/, beside the packages it imports).
export default [
  { ignores: ["tools/node_modules/**", "site/**", ".venv/**", "docs/**/*.min.js"] },
  {
    files: ["docs/javascripts/search-text.js", "docs/javascripts/index-files.js"],
    languageOptions: { ...classic, globals: { ...globals.browser, ...globals.worker } },
    rules,
  },
  {
    files: ["docs/javascripts/search-worker.js"],
    languageOptions: { ...classic, globals: { ...globals.worker } },
    // A dedicated worker's global scope is its own: nothing else runs there.
    rules: { ...rules, "no-implicit-globals": "off" },
  },
  {
    files: ["docs/javascripts/reader/*.js"],
    // Material's globals: its observables of the page (document$, location$).
    languageOptions: {
      ...classic,
      globals: { ...globals.browser, ...shared, Reader: "writable", document$: "readonly", location$: "readonly" },
    },
    rules,
  },
  {
    files: ["tools/test/**/*.mjs", "tools/eslint.config.mjs"],
    languageOptions: { sourceType: "module", ecmaVersion: 2022, globals: { ...globals.node } },
    rules,
  },
]
