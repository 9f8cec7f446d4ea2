/* Paper Digest: the rules of text the site's scripts share with the generator.

   The search index (generator/render/search.py, search_filters.py, related_files.py)
   is written by Python and read here, so both must fold, tokenize, hash and decode
   alike. These functions are the JavaScript half of that contract; tests/test_js_contract.py
   writes Python's answers for a few hundred drawn strings (hostile Unicode included)
   and tools/test/search-text.test.mjs checks these give the same.

   A classic script, not a module: Material starts the search worker as a classic
   worker (which loads this with importScripts), and the pages load it before
   reader.js. It defines one global, SearchText. Lengths and slices count code
   points, as Python's do, not UTF-16 units. */

"use strict"

const SearchText = (() => {
  const TOKEN = /[\p{L}\p{N}]+(?:\.[0-9]+)?/gu
  const MIN_PREFIX = 3 // a shorter last word must match a whole word: "co" would load every "co…" file
  const encoder = new TextEncoder()

  /* Accent-free lower case: NFKD, marks dropped, lower-cased (search.worker_fold). */
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
  }

  /* The words of a text, as the index has them (search.tokens). */
  function tokens(text) {
    return fold(text).match(TOKEN) || []
  }

  /* 32-bit FNV-1a of the UTF-8 bytes (related_files.fnv1a): which file holds a key. */
  function fnv1a(text) {
    let value = 0x811c9dc5
    for (const byte of encoder.encode(text)) value = Math.imul(value ^ byte, 0x01000193) >>> 0
    return value
  }

  /* The number of code points of a word, as Python's len(). */
  function length(word) {
    return Array.from(word).length
  }

  /* The two vocabulary keys of a word of `size` code points (search._typo_keys):
     its first two letters and the size, its last two and the size. */
  function typoKeys(word, size = length(word)) {
    const points = Array.from(word)
    return [`${points.slice(0, 2).join("")}${size}`, `~${points.slice(-2).join("")}${size}`]
  }

  /* A word's first letter, as the newest month's files are keyed. */
  function firstLetter(word) {
    return Array.from(word)[0] || ""
  }

  /* The numbers of an encoded list (search_filters.encode): {"gaps": [...]} or
     {"bits": base64}, bit n & 7 of byte n >> 3 standing for number n. */
  function decodeList(list, into = new Set()) {
    if (list.gaps) {
      let n = 0
      for (const gap of list.gaps) {
        n += gap
        into.add(n)
      }
    } else if (list.bits) {
      const bytes = atob(list.bits)
      for (let i = 0; i < bytes.length; i++) {
        const byte = bytes.charCodeAt(i)
        for (let bit = 0; bit < 8; bit++) if ((byte >> bit) & 1) into.add(i * 8 + bit)
      }
    }
    return into
  }

  return Object.freeze({ TOKEN, MIN_PREFIX, fold, tokens, fnv1a, length, typoKeys, firstLetter, decodeList })
})()

globalThis.SearchText = SearchText
