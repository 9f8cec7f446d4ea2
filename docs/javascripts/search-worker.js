/* Paper Digest search worker: Material's search box, backed by a sharded index.

   Material for MkDocs runs its search in a web worker and lets a site supply its
   own (the theme's `__config.search`, which overrides/main.html points here). The
   protocol is four messages: SETUP (0) with the built-in index's config and pages,
   READY (1), QUERY (2) with the text typed, RESULT (3) with {items, suggest}.

   Papers are searched in the index generator/render/search.py writes to
   search/digest/: meta.json and shards.json, then only the term files of the words typed (and
   the newest month's file for their first letters) and the document files of
   the papers shown. Pages the built-in plugin indexed (the
   hand-written ones) are searched here too, by their titles and text.

   Tokens and folding must stay the same as search.py's. */

"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const BASE = new URL("../search/digest/", self.location)
const TOKEN = /[\p{L}\p{N}]+(?:\.[0-9]+)?/gu
const MIN_PREFIX = 4         // a shorter last word must match a whole word: "con" would load every "con…" file
const TITLE = 10, OTHER = 3  // a word in the title counts more than in names or ids

let pages = []               // [{location, title, text}] from the built-in index
let meta = null              // Promise of meta.json
const files = new Map()      // url -> Promise of parsed JSON, so each file is fetched once
let latest = 0               // number of the newest query

function fold(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
}

function tokens(text) {
  return fold(text).match(TOKEN) || []
}

function load(path) {
  const url = new URL(path, BASE).href
  if (!files.has(url))
    files.set(url, fetch(url).then(r => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`)
      return r.json()
    }).catch(err => {
      files.delete(url)  // let the next query try again
      throw err
    }))
  return files.get(url)
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/* Wrap every word that starts with a query word in <mark>; the rest escaped. */
function highlight(text, words) {
  let out = "", last = 0
  for (const m of text.matchAll(TOKEN)) {
    const folded = fold(m[0])
    if (!words.some(w => folded.startsWith(w))) continue
    out += escapeHTML(text.slice(last, m.index)) + `<mark data-md-highlight>${escapeHTML(m[0])}</mark>`
    last = m.index + m[0].length
  }
  return out + escapeHTML(text.slice(last))
}

/* The shard keys holding `word`, or every word starting with it when `prefix`. */
function keysFor(shards, word, prefix) {
  const keys = Object.keys(shards)
  const own = keys.filter(k => word.startsWith(k)).sort((a, b) => b.length - a.length)[0]
  const longer = prefix ? keys.filter(k => k.length > word.length && k.startsWith(word)) : []
  return [...new Set([...(own ? [own] : []), ...longer])]
}

/* paper number -> in_title, for one word (exact, or as a prefix); and the most
   common completion of a prefix, for Material's suggestion. The newest month's
   papers are in files of their own, by first letter. */
async function postings(m, word, prefix) {
  const paths = keysFor(m.shards, word, prefix).map(k => `terms/${m.shards[k]}.json`)
  if (word[0] in m.recent) paths.push(`recent/${m.recent[word[0]]}.json`)
  const shards = await Promise.all(paths.map(load))
  const found = new Map()
  let best = null, bestCount = 0
  for (const shard of shards)
    for (const term in shard) {
      if (prefix ? !term.startsWith(word) : term !== word) continue
      const list = shard[term]
      if (list.length > bestCount) { best = term; bestCount = list.length }
      let n = 0
      for (const v of list) {
        n += v >> 1
        found.set(n, (found.get(n) || 0) | (v & 1))
      }
    }
  return { found, completion: best }
}

async function searchPapers(words, prefixLast) {
  const m = await meta
  const lists = await Promise.all(words.map((w, i) => postings(m, w, prefixLast && i === words.length - 1)))
  const completion = prefixLast ? lists[lists.length - 1].completion : null
  lists.sort((a, b) => a.found.size - b.found.size)  // intersect from the rarest word
  const scores = new Map()
  for (const [n, inTitle] of lists[0].found) scores.set(n, inTitle ? TITLE : OTHER)
  for (const { found } of lists.slice(1))
    for (const [n, score] of scores) {
      if (!found.has(n)) scores.delete(n)
      else scores.set(n, score + (found.get(n) ? TITLE : OTHER))
    }
  // Best score first, then newest (papers are numbered oldest first).
  const top = [...scores].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, m.results_shown)
  const docs = await Promise.all(top.map(([n]) => load(`docs/${Math.floor(n / m.docs_per_file)}.json`)
    .then(file => file[n % m.docs_per_file])))
  return {
    papers: top.map(([, score], i) => ({ doc: docs[i], score })),
    topics: m.topics.filter(([name]) => words.every(w => tokens(name).some(t => t.startsWith(w)))),
    completion,
  }
}

/* Material's result format: a list of groups, each a page and its sections. A
   paper is a section (its entry) of its day's page, so the papers of one day
   share a group; topics and hand-written pages are groups of one. */
function groups(found, words, matched) {
  const item = (location, title, text, score) => ({ location, title, text, score, terms: matched })
  const byDay = new Map()
  for (const { doc: [title, location, text, day], score } of found.papers) {
    const page = location.split("#")[0]
    if (!byDay.has(page))
      byDay.set(page, [item(page, escapeHTML(day), "", score)])
    const group = byDay.get(page)
    // The day's score for every paper in it: Material folds sections scored below
    // their page into "more", and these are matches in their own right.
    group.push(item(location, highlight(title, words), `<p>${highlight(text, words)}</p>`, group[0].score))
  }
  const topics = found.topics.map(([name, location]) => [item(location, highlight(`Topic: ${name}`, words), "", TITLE)])
  const own = pages
    .filter(p => words.every(w => tokens(`${p.title} ${p.text}`).some(t => t.startsWith(w))))
    .map(p => [item(p.location, highlight(p.title, words), "", OTHER)])
  return [...topics, ...byDay.values(), ...own]
}

async function search(query) {
  const words = tokens(query)
  let prefixLast = !/\s$/.test(query) && words.length > 0
  if (prefixLast && words[words.length - 1].length < MIN_PREFIX) {
    prefixLast = false
    if (words[words.length - 1].length < 2) words.pop()  // one letter: wait for the next
  }
  if (!words.length) return { items: [] }
  const found = await searchPapers(words, prefixLast)
  const matched = Object.fromEntries(words.map(w => [w, true]))
  const typed = query.split(/[\s-]+/).pop()
  const suggest = found.completion && typed && fold(typed) !== found.completion && found.completion.startsWith(fold(typed))
    ? [typed + found.completion.slice(typed.length)] : []
  return { items: groups(found, words, matched), suggest }
}

addEventListener("message", async ({ data: message }) => {
  switch (message.type) {
    case SETUP:
      pages = (message.data.docs || []).filter(d => !d.location.includes("#"))
      meta = Promise.all([load("meta.json"), load("shards.json")]).then(([m, shards]) => ({ ...m, shards }))
      meta.catch(() => {})  // reported by the first query instead
      postMessage({ type: READY })
      break
    case QUERY: {
      const asked = ++latest
      try {
        const data = await search(message.data)
        if (asked === latest)  // a slower, older query must not replace a newer answer
          postMessage({ type: RESULT, data })
      } catch (err) {
        console.warn(`Paper Digest search: ${err}`)
        if (asked === latest) postMessage({ type: RESULT, data: { items: [] } })
      }
      break
    }
  }
})
