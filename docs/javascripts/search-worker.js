/* Paper Digest search worker: Material's search box, backed by a sharded index.

   Material for MkDocs runs its search in a web worker and lets a site supply its
   own (the theme's `__config.search`, which overrides/main.html points here). The
   protocol is four messages: SETUP (0) with the built-in index's config and pages,
   READY (1), QUERY (2) with the text typed, RESULT (3) with {items, suggest}.

   Papers are searched in the index generator/render/search.py writes to
   search/digest/ (its docstring lists the files): meta.json and shards.json once,
   then for each word its title term file (every file of the words it begins, for
   the word being typed), its abstract file and the newest month's file of its
   first letter; for a word of 5+ letters that finds few papers, the vocabulary
   files of its typo keys; and the document files of the papers shown. Pages the
   built-in plugin indexed (the hand-written ones) are searched here too, by their
   titles and text.

   Ranking: every word must match. A paper scores, for each word, the word's IDF
   (rarer words count more) times where it matched: title, then names and ids,
   then abstract; a completion of the word being typed or a typo's correction
   counts less than the word itself. Ties: newest first.

   Counts and "more": Material counts result groups, so the worker tells the page
   (docs/javascripts/reader.js) how many papers and topics matched on the
   BroadcastChannel "paper-digest-search", and answers its "more" there with a
   longer RESULT.

   Tokens and folding must stay the same as search.py's. */

"use strict"

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const BASE = new URL("../search/digest/", self.location)
const TOKEN = /[\p{L}\p{N}]+(?:\.[0-9]+)?/gu
const MIN_PREFIX = 3           // a shorter last word must match a whole word: "co" would load every "co…" file
const TITLE = 3, NAME = 2, ABSTRACT = 1
const COMPLETION = 0.8, TYPO = 0.5
const TYPO_BELOW = 3           // a word found in fewer papers is also looked for as a typo
const TYPO_CANDIDATES = 3      // corrections of one word whose papers are fetched

let pages = []                 // [{location, title, text}] from the built-in index
let meta = null                // Promise of meta.json with its shard table
const files = new Map()        // url -> Promise of parsed JSON, so each file is fetched once
let latest = { id: 0, query: "", shown: 0 }
const channel = new BroadcastChannel("paper-digest-search")

function fold(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
}

function tokens(text) {
  return fold(text).match(TOKEN) || []
}

const encoder = new TextEncoder()

/* 32-bit FNV-1a of the UTF-8 bytes, as related_files.fnv1a picks a file. */
function fnv1a(text) {
  let value = 0x811c9dc5
  for (const byte of encoder.encode(text)) value = Math.imul(value ^ byte, 0x01000193) >>> 0
  return value
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

/* The title shard keys holding `word`, or every word starting with it when `prefix`. */
function keysFor(shards, word, prefix) {
  const keys = Object.keys(shards)
  const own = keys.filter(k => word.startsWith(k)).sort((a, b) => b.length - a.length)[0]
  const longer = prefix ? keys.filter(k => k.length > word.length && k.startsWith(word)) : []
  return [...new Set([...(own ? [own] : []), ...longer])]
}

/* Add a list of title postings ((gap << 1) | in_title) to `found` (number -> weight). */
function addTitled(found, list, factor) {
  let n = 0
  for (const v of list) {
    n += v >> 1
    const weight = (v & 1 ? TITLE : NAME) * factor
    if (!(found.get(n) >= weight)) found.set(n, weight)
  }
}

/* Add a list of abstract postings (gaps). */
function addAbstract(found, list, factor) {
  let n = 0
  const weight = ABSTRACT * factor
  for (const gap of list) {
    n += gap
    if (!(found.get(n) >= weight)) found.set(n, weight)
  }
}

/* Add to `found` (number -> best weight) the papers of `term`, times `factor`, and,
   with `prefix`, of the title words it begins; returns the most common of those. */
async function lookUp(m, term, factor, prefix, found) {
  const titlePaths = keysFor(m.shards, term, prefix).map(k => `terms/${m.shards[k]}.json`)
  const [titleFiles, abstractFile, recentFile] = await Promise.all([
    Promise.all(titlePaths.map(load)),
    load(`abstract/${fnv1a(term) % m.abstract_files}.json`),
    term[0] in m.recent ? load(`recent/${m.recent[term[0]]}.json`) : Promise.resolve({}),
  ])
  let completion = null, completionCount = 0
  const consider = (word, titled, described) => {
    const exact = word === term
    if (!exact && !(prefix && word.startsWith(term))) return
    if (titled) addTitled(found, titled, exact ? factor : factor * COMPLETION)
    if (described && exact) addAbstract(found, described, factor)
    if (prefix && titled && titled.length > completionCount) { completion = word; completionCount = titled.length }
  }
  for (const file of titleFiles) for (const word in file) consider(word, file[word], null)
  if (abstractFile[term]) consider(term, null, abstractFile[term])
  for (const word in recentFile) consider(word, recentFile[word][0], recentFile[word][1])
  return completion
}

/* Optimal string alignment distance, or limit + 1 once it is certain to pass `limit`. */
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let before = null, row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + cost)
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1)
      next.push(value)
      best = Math.min(best, value)
    }
    if (best > limit) return limit + 1
    before = row
    row = next
  }
  return row[b.length]
}

/* The likeliest corrections of a misspelt word: terms of the vocabulary (and of the
   newest month's file of its first letter) within one edit, two from 9 letters. */
async function corrections(m, word) {
  const limit = word.length >= 9 ? 2 : 1
  const keys = new Set()
  for (let length = word.length - limit; length <= word.length + limit; length++)
    if (length >= m.typo_min) keys.add(`${word.slice(0, 2)}${length}`).add(`~${word.slice(-2)}${length}`)
  const paths = new Set([...keys].map(k => `words/${fnv1a(k) % m.words_files}.json`))
  const [vocabulary, recent] = await Promise.all([
    Promise.all([...paths].map(load)),
    word[0] in m.recent ? load(`recent/${m.recent[word[0]]}.json`) : Promise.resolve({}),
  ])
  const papers = new Map()
  for (const file of vocabulary)
    for (const key of keys) for (const [term, count] of file[key] || []) papers.set(term, (papers.get(term) || 0) + count)
  for (const term in recent) papers.set(term, (papers.get(term) || 0) + recent[term][0].length + recent[term][1].length)
  const near = []
  for (const [term, count] of papers) {
    if (term === word) continue
    const d = distance(word, term, limit)
    if (d <= limit) near.push([term, d, count])
  }
  near.sort((a, b) => a[1] - b[1] || b[2] - a[2] || (a[0] < b[0] ? -1 : 1))
  return near.slice(0, TYPO_CANDIDATES).map(([term]) => term)
}

/* number -> weight for one query word: itself (and its completions if being typed),
   and its likeliest corrections if it finds few papers. */
async function matches(m, word, prefix) {
  const found = new Map()
  const completion = await lookUp(m, word, 1, prefix, found)
  let corrected = []
  if (word.length >= 5 && found.size < TYPO_BELOW && !/\d/.test(word)) {
    corrected = await corrections(m, word)
    await Promise.all(corrected.map(term => lookUp(m, term, TYPO, false, found)))
  }
  return { found, completion, corrected }
}

async function searchPapers(words, prefixLast, shown) {
  const m = await meta
  const lists = await Promise.all(words.map((w, i) => matches(m, w, prefixLast && i === words.length - 1)))
  const completion = prefixLast ? lists[lists.length - 1].completion : null
  const corrected = lists.flatMap(l => l.corrected)
  const weighted = lists.map(l => ({ found: l.found, idf: Math.log(1 + m.papers / Math.max(1, l.found.size)) }))
  weighted.sort((a, b) => a.found.size - b.found.size)  // intersect from the rarest word
  const scores = new Map()
  for (const [n, weight] of weighted[0].found) scores.set(n, weight * weighted[0].idf)
  for (const { found, idf } of weighted.slice(1))
    for (const [n, score] of scores) {
      if (!found.has(n)) scores.delete(n)
      else scores.set(n, score + found.get(n) * idf)
    }
  const top = [...scores].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, shown)
  const docs = await Promise.all(top.map(([n]) => load(`docs/${Math.floor(n / m.docs_per_file)}.json`)
    .then(file => file[n % m.docs_per_file])))
  return {
    total: scores.size,
    papers: top.map(([n, score], i) => ({ doc: docs[i], score, abstractOnly: lists.every(l => l.found.get(n) <= ABSTRACT) })),
    topics: matchingTopics(m, words),
    completion,
    corrected,
  }
}

/* Topics whose name or one of whose phrases the query is, or whose name and phrases
   have a word beginning with each query word: "MoE" finds Mixture of experts. */
function matchingTopics(m, words) {
  const query = words.join(" ")
  return m.topics.filter(([name, , phrases]) => {
    const said = phrases.map(p => tokens(p).join(" "))
    if (said.includes(query)) return true
    const known = tokens(`${name} ${phrases.join(" ")}`)
    return words.every(w => known.some(t => t.startsWith(w)))
  })
}

/* Material's result format: a list of groups, each a page and its sections. Each
   paper is a group of its own (its entry, on its newest day), and each topic. */
function groups(found, words) {
  const terms = Object.fromEntries(words.map(w => [w, true]))
  const item = (location, title, text, score) => ({ location, title, text, score, terms })
  // A group of one paper: Material shows no teaser under a group's own heading, so the
  // line of authors and date is part of the heading.
  const papers = found.papers.map(({ doc: [title, location, text, day], score, abstractOnly }) => {
    const parts = [highlight(text, words), escapeHTML(day), abstractOnly ? "matched in the abstract" : ""]
    const line = `<span class="digest-result-line">${parts.filter(Boolean).join(" · ")}</span>`
    return [item(location, `${highlight(title, words)}${line}`, "", score)]
  })
  const topics = found.topics.map(([name, location]) => [item(location, highlight(`Topic: ${name}`, words), "", 1e9)])
  const own = pages
    .filter(p => words.every(w => tokens(`${p.title} ${p.text}`).some(t => t.startsWith(w))))
    .map(p => [item(p.location, highlight(p.title, words), "", 0)])
  return [...topics, ...papers, ...own]
}

/* The words of a query worth looking up: stop words are left out unless there is nothing else. */
function queryWords(query, m) {
  const words = tokens(query)
  let prefixLast = !/\s$/.test(query) && words.length > 0
  if (prefixLast && words[words.length - 1].length < MIN_PREFIX) {
    prefixLast = false
    if (words[words.length - 1].length < 2) words.pop()  // one letter: wait for the next
  }
  const stop = new Set(m.stop_words)
  const kept = words.filter((w, i) => !stop.has(w) || (prefixLast && i === words.length - 1))
  return kept.length ? { words: kept, prefixLast: prefixLast && kept[kept.length - 1] === words[words.length - 1] } : { words, prefixLast }
}

async function search(query, shown) {
  const m = await meta
  const { words, prefixLast } = queryWords(query, m)
  if (!words.length) return { data: { items: [] }, count: null }
  const found = await searchPapers(words, prefixLast, shown)
  const typed = query.split(/[\s-]+/).pop()
  const suggest = found.completion && typed && fold(typed) !== found.completion && found.completion.startsWith(fold(typed))
    ? [typed + found.completion.slice(typed.length)] : []
  const count = { query, papers: found.total, topics: found.topics.length, shown: found.papers.length, corrected: found.corrected }
  return { data: { items: groups(found, words), suggest }, count }
}

async function answer(query, shown) {
  const asked = ++latest.id
  latest.query = query
  latest.shown = shown
  try {
    const { data, count } = await search(query, shown)
    if (asked !== latest.id) return  // a slower, older query must not replace a newer answer
    postMessage({ type: RESULT, data })
    channel.postMessage(count)
  } catch (err) {
    console.warn(`Paper Digest search: ${err}`)
    if (asked === latest.id) postMessage({ type: RESULT, data: { items: [] } })
  }
}

channel.addEventListener("message", ({ data }) => {
  if (data && data.more === latest.query && meta)
    meta.then(m => answer(latest.query, latest.shown + m.results_shown))
})

addEventListener("message", async ({ data: message }) => {
  switch (message.type) {
    case SETUP:
      pages = (message.data.docs || []).filter(d => !d.location.includes("#"))
      meta = Promise.all([load("meta.json"), load("shards.json")]).then(([m, shards]) => ({ ...m, shards }))
      meta.catch(() => {})  // reported by the first query instead
      postMessage({ type: READY })
      break
    case QUERY: {
      const m = await meta.catch(() => ({ results_shown: 20 }))
      answer(message.data, m.results_shown)
      break
    }
  }
})
