// Reading state, kept in localStorage and sent nowhere: a paper is "seen" once a page
// showed it. A pause of VISIT_GAP starts a new visit; papers first seen during this
// visit are "new" (not on a first visit ever, when everything would be), papers seen
// on an earlier visit can be hidden, and "Mark all as read" marks a page's as read.
// Also the reader's preferences: the compact or expanded view, hiding seen papers.
globalThis.Reader ??= {}

Reader.reading = (() => {
  const STORE = "paper-digest.reading.v1"
  const VISIT_GAP = 30 // minutes
  const MAX_SEEN = 20000 // papers remembered; the oldest are forgotten first

  const minutes = () => Math.floor(Date.now() / 60000)

  function load() {
    try {
      const state = JSON.parse(localStorage.getItem(STORE) || "{}")
      if (state && typeof state === "object" && !Array.isArray(state)) return state
    } catch { /* unreadable: start again */ }
    return {}
  }

  const state = load()
  state.seen = state.seen || {}
  state.read = state.read || {}

  function save() {
    const keys = Object.keys(state.seen)
    if (keys.length > MAX_SEEN) {
      keys.sort((a, b) => state.seen[a] - state.seen[b])
      for (const key of keys.slice(0, keys.length - MAX_SEEN)) {
        delete state.seen[key]
        delete state.read[key]
      }
    }
    try { localStorage.setItem(STORE, JSON.stringify(state)) } catch { /* full or blocked: state lives for this page */ }
  }

  function applyView() {
    document.documentElement.dataset.digestView = state.view === "expanded" ? "expanded" : "compact"
  }

  function startVisit() {
    const now = minutes()
    if (!state.visit || now - state.visit.last > VISIT_GAP) state.visit = { start: now, last: now, first: !state.visit }
    else state.visit.last = now
  }

  // "read", "seen" (on an earlier visit), "new" (first seen on this one) or "".
  function statusOf(key) {
    if (state.read[key]) return "read"
    const seen = state.seen[key]
    if (seen === undefined) return ""
    if (seen < state.visit.start) return "seen"
    return state.visit.first ? "" : "new"
  }

  // Papers shown now are seen from now on (the first time only).
  function noteShown(keys) {
    const now = minutes()
    for (const key of keys) if (state.seen[key] === undefined) state.seen[key] = now
    save()
  }

  function markRead(keys) {
    for (const key of keys) state.read[key] = 1
    save()
  }

  // The "new" badge of an entry or a search result, put in place by `put`, or none.
  function badge(holder, status, put) {
    let shown = holder.querySelector(".paper-new")
    if (status === "new" && !shown) {
      shown = document.createElement("span")
      shown.className = "paper-new"
      shown.textContent = "new"
      put(shown)
    } else if (status !== "new" && shown) {
      shown.remove()
    }
  }

  applyView()
  return Object.freeze({ state, save, applyView, startVisit, statusOf, noteShown, markRead, badge })
})()
