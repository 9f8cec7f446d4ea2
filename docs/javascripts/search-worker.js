/* Paper Digest search worker: Material's search box, backed by a sharded index.

   Material for MkDocs runs its search in a web worker and lets a site supply its
   own (the theme's `__config.search`, which overrides/main.html points here). The
   protocol is four messages: SETUP (0) with the built-in index's config and pages,
   READY (1), QUERY (2) with the text typed, RESULT (3) with {items, suggest}.

   Papers are searched in the index generator/render/search.py writes to
   search/digest/ (its docstring lists the files): meta.json and shards.json once,
   then for each word its title term file (for the word being typed, the files of
   the words it begins, or of its commonest completions when those are many), its
   abstract file and the newest month's file of its first letter; for a word of 5+ letters that finds few papers, the vocabulary
   files of its typo keys; and the document files of the papers shown. Pages the
   built-in plugin indexed (the hand-written ones) are searched here too, by their
   titles and text.

   Ranking: every word must match. A paper scores, for each word, the word's IDF
   (rarer words count more) times where it matched: title, then names and ids,
   then abstract; a completion of the word being typed or a typo's correction
   counts less than the word itself, and a completion of a name less than the word
   in an abstract. Ties: newest first, and on one day best ranked first (papers are
   numbered so: render/search.py).

   Filters (topic:, has:code, year:, month:) are taken out of the query and narrow
   its papers (see "filters" below); a query of filters alone lists the newest, each
   day's best ranked first.

   A query still being typed (its last word not ended by a space) waits PAUSE ms
   first: typing sends a query a key, and one the next key replaces fetches nothing.

   Counts and "more": Material counts result groups, so the worker tells the page
   (docs/javascripts/reader/search-results.js) how many papers and topics matched on the
   BroadcastChannel "paper-digest-search", and answers its "more" there with a
   longer RESULT.

   Folding, tokens, hashes, typo keys and lists come from search-text.js, the contract
   this script and the generator are both tested against; the index's files come
   through index-files.js, which the pages' scripts share. */

"use strict"

importScripts("search-text.js", "index-files.js")
const { TOKEN, MIN_PREFIX, fold, tokens, fnv1a, length, typoKeys, firstLetter, decodeList } = self.SearchText
const { load } = self.IndexFiles

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const TITLE = 3, NAME = 2, ABSTRACT = 1
const COMPLETION = 0.8, NAME_COMPLETION = 0.4, TYPO = 0.5
const TYPO_BELOW = 3           // a word found in fewer papers is also looked for as a typo
const TYPO_CANDIDATES = 3      // corrections of one word whose papers are fetched
const PAUSE = 100              // ms a query still being typed waits for the next key before it fetches anything

let pages = []                 // [{location, title, text}] from the built-in index
let meta = null                // Promise of meta.json with its shard table
const latest = { id: 0, query: "", shown: 0 }
const channel = new BroadcastChannel("paper-digest-search")

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/* Wrap every word that starts with a query word in <mark>; the rest escaped. */
function highlight(text, words) {
  let out = "", last = 0
  for (const m of text.matchAll(TOKEN)) {
    const folded = fold(m[0])
    if (!words.some(w => folded.startsWith(w))) continue
    out += `${escapeHTML(text.slice(last, m.index))}<mark data-md-highlight>${escapeHTML(m[0])}</mark>`
    last = m.index + m[0].length
  }
  return out + escapeHTML(text.slice(last))
}

/* The title term files to read for `word`: the file holding it, and when `prefix`,
   every file of the words it begins, or for a crowded prefix (one whose words fill
   many files) the files of its commonest words, which shards.json names. */
function titleFiles(shards, word, prefix) {
  const keys = Object.keys(shards.files)
  const holding = w => keys.filter(k => w.startsWith(k)).sort((a, b) => b.length - a.length)[0]
  let found = [holding(word)]
  if (prefix && shards.complete[word]) found = found.concat(shards.complete[word].map(holding))
  else if (prefix) found = found.concat(keys.filter(k => k.length > word.length && k.startsWith(word)))
  return [...new Set(found.filter(Boolean))].map(k => `terms/${shards.files[k]}.json`)
}

/* Add a list of title postings ((gap << 1) | in_title) to `found` (number -> weight),
   the title's times `factor`, a name's or an id's times `nameFactor`. */
function addTitled(found, list, factor, nameFactor = factor) {
  let n = 0
  for (const v of list) {
    n += v >> 1
    const weight = v & 1 ? TITLE * factor : NAME * nameFactor
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
  const [termFiles, abstractFile, recentFile] = await Promise.all([
    Promise.all(titleFiles(m.shards, term, prefix).map(load)),
    load(`abstract/${fnv1a(term) % m.abstract_files}.json`),
    firstLetter(term) in m.recent ? load(`recent/${m.recent[firstLetter(term)]}.json`) : Promise.resolve({}),
  ])
  let completion = null, completionCount = 0
  const consider = (word, titled, described) => {
    const exact = word === term
    if (!exact && !(prefix && word.startsWith(term))) return
    // A completion of a name counts below the word itself in an abstract: "MoE" is a
    // word of mixture-of-experts papers before it is the start of the name Moein.
    if (titled) addTitled(found, titled, exact ? factor : factor * COMPLETION, exact ? factor : factor * NAME_COMPLETION)
    if (described && exact) addAbstract(found, described, factor)
    if (prefix && titled && titled.length > completionCount) { completion = word; completionCount = titled.length }
  }
  for (const file of termFiles) for (const word in file) consider(word, file[word], null)
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
  const size = length(word)
  const limit = size >= 9 ? 2 : 1
  const keys = new Set()
  for (let at = size - limit; at <= size + limit; at++) if (at >= m.typo_min) for (const key of typoKeys(word, at)) keys.add(key)
  const paths = new Set([...keys].map(k => `words/${fnv1a(k) % m.words_files}.json`))
  const [vocabulary, recent] = await Promise.all([
    Promise.all([...paths].map(load)),
    firstLetter(word) in m.recent ? load(`recent/${m.recent[firstLetter(word)]}.json`) : Promise.resolve({}),
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
  if (length(word) >= 5 && found.size < TYPO_BELOW && !/\d/.test(word)) {
    corrected = await corrections(m, word)
    await Promise.all(corrected.map(term => lookUp(m, term, TYPO, false, found)))
  }
  return { found, completion, corrected }
}

async function searchPapers(words, prefixLast, shown, filter, asked) {
  const m = await meta
  const lists = await Promise.all(words.map((w, i) => matches(m, w, prefixLast && i === words.length - 1)))
  const completion = prefixLast ? lists[lists.length - 1].completion : null
  const corrected = lists.flatMap(l => l.corrected)
  const weighted = lists.map(l => ({ found: l.found, idf: Math.log(1 + m.papers / Math.max(1, l.found.size)) }))
  weighted.sort((a, b) => a.found.size - b.found.size)  // intersect from the rarest word
  const scores = new Map()
  for (const [n, weight] of weighted[0].found) if (!filter || filter.allows(n)) scores.set(n, weight * weighted[0].idf)
  for (const { found, idf } of weighted.slice(1))
    for (const [n, score] of scores) {
      if (!found.has(n)) scores.delete(n)
      else scores.set(n, score + found.get(n) * idf)
    }
  const top = [...scores].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, shown)
  const docs = await documents(m, top.map(([n]) => n), asked)
  return {
    total: scores.size,
    papers: top.map(([n, score], i) => ({ doc: docs[i], score, abstractOnly: lists.every(l => l.found.get(n) <= ABSTRACT) })),
    topics: matchingTopics(m, words),
    completion,
    corrected,
  }
}

/* A query of filters only: the newest papers they allow. */
async function newestPapers(m, filter, shown, asked) {
  const { total, numbers } = filter.newest(shown)
  const docs = await documents(m, numbers, asked)
  return { total, papers: docs.map(doc => ({ doc, score: 0, abstractOnly: false })), topics: [], completion: null, corrected: [] }
}

/* A query a newer one has replaced: its results would not be shown. */
class Stale extends Error {}

/* What each paper shows, from the document files; not fetched for a query already
   replaced (typing sends a query a key). */
function documents(m, numbers, asked) {
  if (asked !== latest.id) throw new Stale()
  return Promise.all(numbers.map(n => load(`docs/${Math.floor(n / m.docs_per_file)}.json`).then(file => file[n % m.docs_per_file])))
}

/* Topics whose name or one of whose phrases the query is, or whose name and phrases
   have a word beginning with each query word: "MoE" finds Mixture of experts. */
function matchingTopics(m, words) {
  const query = words.join(" ")
  return m.topics.filter(([, name, , phrases]) => {
    const said = phrases.map(p => tokens(p).join(" "))
    if (said.includes(query)) return true
    const known = tokens(`${name} ${phrases.join(" ")}`)
    return words.every(w => known.some(t => t.startsWith(w)))
  })
}

/* ---- filters, as render/search_filters.py declares them (meta.json "filters") --------------

   A query's filters narrow its words' papers, or, with no words, list the newest
   papers they allow. A set filter (topic:SLUG, has:code) keeps the papers with its
   value, fetched when asked for: two of them narrow (a paper must be in both). A range
   filter (year:YYYY, month:YYYY-MM) keeps the papers first listed in its months, a
   range of numbers (meta.json "months"): two of them are alternatives (any of them).
   A set filter's value is typed whole or by a start no other value shares; a filter
   that names nothing finds nothing and says why, in the words it was declared with. */

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
const FILTER = /^([a-z]+):(\S*)$/i

/* The filter a token names, or null: `name:` of a declared filter. */
function named(m, token) {
  const match = FILTER.exec(token)
  const declared = match && m.filters.find(f => f.name === match[1].toLowerCase())
  return declared ? { declared, raw: match[2] } : null
}

/* {text, filters}: the query without its filters, and each filter as
   {token, kind, name, value, label, ok, note}. */
function parseQuery(query, m) {
  const filters = [], rest = []
  const typed = query.split(/\s+/)
  for (const token of typed) {
    const found = named(m, token)
    if (!found) rest.push(token)
    else if (found.raw) filters.push(readFilter(token, found.declared, found.raw))  // "topic:" alone: being typed
  }
  // A filter last ends the words: the word before it is not being typed.
  return { text: rest.join(" ") + (named(m, typed[typed.length - 1]) ? " " : ""), filters }
}

function readFilter(token, declared, raw) {
  const value = fold(raw)
  const { name, kind } = declared
  const said = (text, more = {}) => text.replace(/\{(\w+)\}/g, (_, key) => ({ raw, ...more })[key] ?? "")
  const bad = note => ({ token, kind, name, value, label: token, ok: false, note })
  if (kind === "set") {
    const exact = declared.values.find(v => v[0] === value)
    const starting = declared.values.filter(v => v[0].startsWith(value))
    const chosen = exact || (starting.length === 1 ? starting[0] : null)
    if (chosen) return { token, kind, name, value: chosen[0], label: chosen[1], ok: true }
    if (starting.length && declared.several)
      return bad(said(declared.several, { count: starting.length, values: starting.map(v => v[0]).join(", ") }))
    return bad(said(declared.unknown))
  }
  const parts = new RegExp(declared.pattern).exec(value)
  if (!parts) return bad(said(declared.wrong))
  const [, year, month] = parts
  if (month === undefined) return { token, kind, name, value: year, label: year, ok: true }
  if (+month < 1 || +month > 12) return bad(said(declared.wrong))
  return { token, kind, name, value: `${year}-${month.padStart(2, "0")}`, label: `${MONTHS[+month - 1]} ${year}`, ok: true }
}

/* The papers a set filter's value allows: the older papers' file and the newest month's. */
async function filterSet(m, name, value) {
  const [main, recent] = await Promise.all([load(`filters/${name}/${value}.json`), load("filters/recent.json")])
  const found = decodeList(main, new Set())
  const key = `${name}:${value}`
  return recent[key] ? decodeList(recent[key], found) : found
}

/* The ranges [from, to) of paper numbers first listed in the months range filters name
   (a value is the start of the months it keeps: "2024" or "2024-09"). */
function dateRanges(m, filters) {
  const ranges = []
  m.months.forEach(([month, from], i) => {
    const to = i + 1 < m.months.length ? m.months[i + 1][1] : m.papers
    if (filters.some(f => month.startsWith(f.value))) ranges.push([from, to])
  })
  return ranges
}

/* {allows(n), newest(count)}: the papers every filter allows, or null without filters. */
async function allowed(m, filters) {
  if (!filters.length) return null
  if (filters.some(f => !f.ok)) return { allows: () => false, newest: () => ({ total: 0, numbers: [] }) }
  const sets = await Promise.all(filters.filter(f => f.kind === "set").map(f => filterSet(m, f.name, f.value)))
  const dated = filters.filter(f => f.kind === "range")
  const ranges = dated.length ? dateRanges(m, dated) : [[0, m.papers]]
  const inRange = n => ranges.some(([from, to]) => n >= from && n < to)
  const allows = n => inRange(n) && sets.every(set => set.has(n))
  return {
    allows,
    /* The newest `count` papers allowed, and how many there are in all. */
    newest(count) {
      const numbers = []
      let total = 0
      for (const [from, to] of ranges.slice().reverse())
        for (let n = to - 1; n >= from; n--) if (sets.every(set => set.has(n))) {
          total++
          if (numbers.length < count) numbers.push(n)
        }
      return { total, numbers }
    },
  }
}

/* Material's result format: a list of groups, each a page and its sections. Each
   paper is a group of its own (its entry, on its newest day), and each topic. */
function groups(found, words, filtered) {
  const terms = Object.fromEntries(words.map(w => [w, true]))
  const item = (location, title, text, score) => ({ location, title, text, score, terms })
  // A group of one paper: Material shows no teaser under a group's own heading, so the
  // line of authors and date is part of the heading.
  const papers = found.papers.map(({ doc: [title, location, text, day], score, abstractOnly }) => {
    const parts = [highlight(text, words), escapeHTML(day), abstractOnly ? "matched in the abstract" : ""]
    const line = `<span class="digest-result-line">${parts.filter(Boolean).join(" · ")}</span>`
    return [item(location, `${highlight(title, words)}${line}`, "", score)]
  })
  const topics = found.topics.map(([, name, location]) => [item(location, highlight(`Topic: ${name}`, words), "", 1e9)])
  const own = filtered || !words.length ? [] : pages
    .filter(p => words.every(w => tokens(`${p.title} ${p.text}`).some(t => t.startsWith(w))))
    .map(p => [item(p.location, highlight(p.title, words), "", 0)])
  return [...topics, ...papers, ...own]
}

/* The words of a query worth looking up: stop words are left out unless there is nothing else. */
function queryWords(query, m) {
  const words = tokens(query)
  let prefixLast = !/\s$/.test(query) && words.length > 0
  if (prefixLast && length(words[words.length - 1]) < MIN_PREFIX) {
    prefixLast = false
    if (words[words.length - 1].length < 2) words.pop()  // one letter: wait for the next
  }
  const stop = new Set(m.stop_words)
  const kept = words.filter((w, i) => !stop.has(w) || (prefixLast && i === words.length - 1))
  return kept.length ? { words: kept, prefixLast: prefixLast && kept[kept.length - 1] === words[words.length - 1] } : { words, prefixLast }
}

async function search(query, shown, asked) {
  const m = await meta
  const { text, filters } = parseQuery(query, m)
  const { words, prefixLast } = queryWords(text, m)
  if (!words.length && !filters.length) return { data: { items: [] }, count: null }
  const filter = await allowed(m, filters)
  const found = words.length ? await searchPapers(words, prefixLast, shown, filter, asked) : await newestPapers(m, filter, shown, asked)
  const typed = query.split(/[\s-]+/).pop()
  const suggest = found.completion && typed && fold(typed) !== found.completion && found.completion.startsWith(fold(typed))
    ? [typed + found.completion.slice(typed.length)] : []
  const topics = filters.length ? [] : found.topics  // with filters, a topic is offered as one instead
  const count = {
    query,
    step: m.results_shown,
    papers: found.total,
    topics: topics.length,
    shown: found.papers.length,
    corrected: found.corrected,
    filters: filters.map(({ token, label, ok, note }) => ({ token, label, ok, note: note || "" })),
    offers: offers(m, found, filters),
  }
  return { data: { items: groups({ ...found, topics }, words, filters.length > 0), suggest }, count }
}

/* Filters a reader may add, as chips under the box: the topics the words name, and
   each value of a set filter declared as offered (has:code) that the query has not. */
function offers(m, found, filters) {
  const out = found.topics.filter(([slug]) => !filters.some(f => f.name === "topic" && f.value === slug)).slice(0, 3)
    .map(([slug, name]) => ({ token: `topic:${slug}`, label: `Topic: ${name}` }))
  if (!found.total) return out
  for (const declared of m.filters.filter(f => f.offered && !filters.some(g => g.name === f.name)))
    for (const [value, label] of declared.values) out.push({ token: `${declared.name}:${value}`, label })
  return out
}

async function answer(query, shown, more = false) {
  const asked = ++latest.id
  latest.query = query
  latest.shown = shown
  try {
    // Typing sends a query a key: one that the next key replaces within PAUSE fetches nothing.
    if (!more && !/\s$/.test(query)) {
      await new Promise(resolve => setTimeout(resolve, PAUSE))
      if (asked !== latest.id) return
    }
    const { data, count } = await search(query, shown, asked)
    if (asked !== latest.id) return  // a slower, older query must not replace a newer answer
    postMessage({ type: RESULT, data })
    channel.postMessage(count)
  } catch (err) {
    if (err instanceof Stale) return
    console.warn(`Paper Digest search: ${err}`)
    if (asked === latest.id) postMessage({ type: RESULT, data: { items: [] } })
  }
}

channel.addEventListener("message", ({ data }) => {
  if (data && data.more === latest.query && meta)
    meta.then(m => answer(latest.query, latest.shown + m.results_shown, true))
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
      const m = await meta.catch(() => ({ results_shown: 10 }))
      answer(message.data, m.results_shown)
      break
    }
  }
})
