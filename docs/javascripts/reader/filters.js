// The toolbar of day and topic pages: filters (has code, a topic, least upvotes), kept
// in the page's address so that a filtered page can be shared; hiding seen papers; the
// compact or expanded view; "Mark all as read".
globalThis.Reader ??= {}

Reader.filters = (() => {
  const FILTERS = ["code", "topic", "up"]
  const { state, save } = Reader.reading

  function fromAddress() {
    const params = new URLSearchParams(location.search)
    const out = {}
    for (const name of FILTERS) if (params.get(name)) out[name] = params.get(name)
    return out
  }

  function keepInAddress(filters) {
    const params = new URLSearchParams(location.search)
    for (const name of FILTERS) {
      if (filters[name]) params.set(name, filters[name])
      else params.delete(name)
    }
    const query = params.toString()
    history.replaceState(history.state, "", location.pathname + (query ? `?${query}` : "") + location.hash)
  }

  function passes(entry, filters) {
    if (filters.code && !entry.dataset.code) return false
    if (filters.topic && !` ${entry.dataset.topics || ""} `.includes(` ${filters.topic} `)) return false
    if (filters.up && !(Number(entry.dataset.up || 0) >= Number(filters.up))) return false
    if (state.hideSeen && (entry.classList.contains("paper--seen") || entry.classList.contains("paper--read"))) return false
    return true
  }

  function apply(form) {
    const filters = fromAddress()
    const all = Reader.page.entries()
    let shown = 0
    for (const entry of all) {
      const ok = passes(entry, filters)
      entry.hidden = !ok
      if (ok) shown += 1
    }
    // A month of a topic's list with nothing left in it loses its heading too.
    for (const list of document.querySelectorAll("ul.paper-lines")) {
      const empty = !list.querySelector("li.paper:not([hidden])")
      list.hidden = empty
      const heading = list.previousElementSibling
      if (heading && heading.tagName === "H2") heading.hidden = empty
    }
    if (form)
      form.querySelector(".digest-count").textContent = shown === all.length
        ? `${all.length} paper${all.length === 1 ? "" : "s"}`
        : `Showing ${shown} of ${all.length} papers`
  }

  function markAllRead(form) {
    const all = Reader.page.entries()
    Reader.reading.markRead(all.map(entry => entry.dataset.key))
    for (const entry of all) Reader.page.mark(entry, "read")
    apply(form)
  }

  function setUp(form) {
    const filters = fromAddress()
    form.elements.code.checked = Boolean(filters.code)
    if (form.elements.topic) form.elements.topic.value = filters.topic || ""
    if (form.elements.up) form.elements.up.value = filters.up || ""
    form.elements.unseen.checked = Boolean(state.hideSeen)
    const view = form.querySelector("[data-action=view]")
    view.setAttribute("aria-pressed", String(state.view === "expanded"))
    form.addEventListener("submit", event => event.preventDefault())
    form.addEventListener("input", () => {
      const up = form.elements.up ? Number(form.elements.up.value) : 0
      keepInAddress({
        code: form.elements.code.checked ? "1" : "",
        topic: form.elements.topic ? form.elements.topic.value : "",
        up: up > 0 ? String(Math.floor(up)) : "",
      })
      state.hideSeen = form.elements.unseen.checked
      save()
      apply(form)
    })
    form.querySelector("[data-action=read]").addEventListener("click", () => markAllRead(form))
    view.addEventListener("click", () => {
      state.view = state.view === "expanded" ? "compact" : "expanded"
      view.setAttribute("aria-pressed", String(state.view === "expanded"))
      save()
      Reader.reading.applyView()
    })
    form.querySelector("[data-action=keys]").addEventListener("click", () => Reader.keys.showKeys())
    form.hidden = false
  }

  return Object.freeze({ apply, setUp })
})()
