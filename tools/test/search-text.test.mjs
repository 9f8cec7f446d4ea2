// The JavaScript half of the search contract: docs/javascripts/search-text.js must give
// the answers the generator's Python gave for the same inputs. tests/test_js_contract.py
// writes those answers to a file and runs this with CONTRACT=that file (SEARCH_TEXT may
// name another copy of the script, to show the test fails when one side changes).
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { test } from "node:test"
import { fileURLToPath } from "node:url"
import vm from "node:vm"

const here = dirname(fileURLToPath(import.meta.url))
const script = process.env.SEARCH_TEXT || resolve(here, "../../docs/javascripts/search-text.js")
const contract = JSON.parse(readFileSync(process.env.CONTRACT, "utf8"))

// The script as a browser or a worker runs it: a classic script defining one global.
const context = vm.createContext({ TextEncoder, atob })
vm.runInContext(readFileSync(script, "utf8"), context, { filename: script })
const text = context.SearchText

// One failure message names the function and the input, escaped so hostile text reads.
function same(name, input, actual, expected) {
  assert.deepEqual(actual, expected, `${name}(${JSON.stringify(input)})`)
}

test("constants", () => {
  assert.equal(text.MIN_PREFIX, contract.MIN_PREFIX, "MIN_PREFIX")
})

test("fold, tokens, length and first letter of every drawn string", () => {
  for (const c of contract.strings) {
    same("fold", c.text, text.fold(c.text), c.fold)
    same("tokens", c.text, [...text.tokens(c.text)], c.tokens)
    same("length", c.text, text.length(c.text), c.length)
    same("firstLetter", c.text, text.firstLetter(c.text), c.first_letter)
  }
})

test("FNV-1a of every drawn string", () => {
  for (const c of contract.strings) same("fnv1a", c.text, text.fnv1a(c.text), c.fnv1a)
})

test("typo keys of every token", () => {
  for (const c of contract.terms) same("typoKeys", c.term, [...text.typoKeys(c.term)], c.typo_keys)
})

test("lists decode to the numbers Python encoded", () => {
  for (const c of contract.lists) same("decodeList", c.encoded, [...text.decodeList(c.encoded)].sort((a, b) => a - b), c.numbers)
})
