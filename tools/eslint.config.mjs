// ESLint for the site's scripts (docs/javascripts/) and the Node tests of them
// (tools/test/): `make lint`, and tests/test_lint.py. One dialect: modern
// JavaScript (const and let, arrow functions, template strings) in classic scripts,
// since Material loads the pages' scripts and starts the search worker as classic ones.
import js from "@eslint/js"
import globals from "globals"

const classic = { sourceType: "script", ecmaVersion: 2022 }
const rules = {
  ...js.configs.recommended.rules,
  "no-var": "error",
  "prefer-const": "error",
  eqeqeq: ["error", "always"],
  "no-implicit-globals": "error",
}

// Paths are the project's: run from its root as `eslint --config tools/eslint.config.mjs`
// (the config lives in tools/, beside the packages it imports).
export default [
  { ignores: ["tools/node_modules/**", "site/**", ".venv/**", "docs/**/*.min.js"] },
  {
    files: ["docs/javascripts/search-text.js"],
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
    files: ["docs/javascripts/reader.js", "docs/javascripts/digest.js"],
    // Material's globals: its observables of the page (document$, location$) and its search.
    languageOptions: { ...classic, globals: { ...globals.browser, document$: "readonly", location$: "readonly", SearchText: "readonly" } },
    rules,
  },
  {
    files: ["tools/test/**/*.mjs", "tools/eslint.config.mjs"],
    languageOptions: { sourceType: "module", ecmaVersion: 2022, globals: { ...globals.node } },
    rules,
  },
]
