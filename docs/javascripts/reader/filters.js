// The toolbar of day and topic pages: filters (has code, a topic, least upvotes), kept
// in the page's address so that a filtered page can be shared; hiding seen papers; the
// compact or expanded view; "Mark all as read". On every page with papers, a notice
// of what is hidden and why, with a way to show it.
globalThis.Reader ??= {}

Reader.filters = (() => {
  const FILTERS = ["code", "topic", "up"]
  const { state, save } = Reader.reading

  // The filters of the page's address that apply to it, and those that do not, each
  // with the reason: a shared link may name a topic since renamed, or a filter this
  // page has no control for (no upvotes on a page of text dumps).
  function fromAddress(form) {
    const params = new URLSearchParams(location.search)
    const filters = {}
    const problems = []
    for (const name of FILTERS) {
      const value = params.get(name)
      if (!value) continue
      const problem = problemWith(name, value, form)
      if (problem) problems.push({ name, value, problem })
      else filters[name] = value
    }
    return { filters, problems }
  }

  function problemWith(name, value, form) {
    const control = form && form.elements[name]
    if (!control) return "this page has no such filter"
    if (name === "code") return value === "1" ? "" : "it can only be 1"
    if (name === "up") return /^\d{1,9}$/.test(value) ? "" : "it is not a whole number"
    return [...control.options].some(option => option.value === value) ? "" : "no paper on this page has this topic"
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

  function clearFromAddress(name) {
    const params = new URLSearchParams(location.search)
    keepInAddress(Object.fromEntries(FILTERS.map(other => [other, other === name ? "" : params.get(other)])))
  }

  function passes(entry, filters) {
    if (filters.code && !entry.dataset.code) return false
    if (filters.topic && !` ${entry.dataset.topics || ""} `.includes(` ${filters.topic} `)) return false
    if (filters.up && !(Number(entry.dataset.up || 0) >= Number(filters.up))) return false
    return true
  }

  const seen = entry => entry.classList.contains("paper--seen") || entry.classList.contains("paper--read")

  // The paper the address points at (a search result, a cross-link): never hidden.
  function target() {
    try {
      return decodeURIComponent(location.hash.slice(1))
    } catch {
      return location.hash.slice(1) // a malformed escape in a hand-made address: no paper's key
    }
  }

  function apply(form) {
    const { filters, problems } = fromAddress(form)
    const all = Reader.page.entries()
    const pointed = target()
    let shown = 0
    let hiddenSeen = 0
    for (const entry of all) {
      const ok = passes(entry, filters)
      const hideSeen = ok && state.hideSeen && seen(entry) && entry.dataset.key !== pointed
      entry.hidden = !ok || hideSeen
      if (hideSeen) hiddenSeen += 1
      if (!entry.hidden) shown += 1
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
    explain(form, all, problems, hiddenSeen)
  }

  // What emptied the page, said on it with a way back: address filters that do not
  // apply, and papers hidden because they were seen (a preference of every page, so
  // it may have been set on another one).
  function explain(form, all, problems, hiddenSeen) {
    let notice = document.querySelector(".digest-notice")
    if (!problems.length && !hiddenSeen) {
      if (notice) notice.remove()
      return
    }
    if (!notice) {
      if (!form && !all.length) return
      notice = document.createElement("div")
      notice.className = "digest-notice"
      notice.setAttribute("role", "status")
      if (form) form.after(notice)
      else (all[0].closest("ul, ol") || all[0]).before(notice)
    }
    notice.textContent = ""
    for (const { name, value, problem } of problems) {
      // The address is the reader's input, shown as text, never markup.
      line(notice, `The address asks for ${name} “${value}”, not applied: ${problem}.`, "Clear it", () => {
        clearFromAddress(name)
        apply(form)
      })
    }
    if (hiddenSeen)
      line(notice, `${hiddenSeen} paper${hiddenSeen === 1 ? " you have seen is" : "s you have seen are"} hidden (“Hide papers I have seen”).`, "Show them", () => {
        state.hideSeen = false
        save()
        if (form) form.elements.unseen.checked = false
        apply(form)
      })
  }

  function line(notice, text, label, act) {
    const paragraph = document.createElement("p")
    const button = document.createElement("button")
    button.type = "button"
    button.className = "md-button"
    button.textContent = label
    button.addEventListener("click", act)
    paragraph.append(`${text} `, button)
    notice.append(paragraph)
  }

  function markAllRead(form) {
    const all = Reader.page.entries()
    Reader.reading.markRead(all.map(entry => entry.dataset.key))
    for (const entry of all) Reader.page.mark(entry, "read")
    apply(form)
  }

  function setUp(form) {
    const { filters } = fromAddress(form)
    if (form.elements.code) form.elements.code.checked = Boolean(filters.code)
    if (form.elements.topic) form.elements.topic.value = filters.topic || ""
    if (form.elements.up) form.elements.up.value = filters.up || ""
    form.elements.unseen.checked = Boolean(state.hideSeen)
    const view = form.querySelector("[data-action=view]")
    view.setAttribute("aria-pressed", String(state.view === "expanded"))
    form.addEventListener("submit", event => event.preventDefault())
    form.addEventListener("input", () => {
      const up = form.elements.up ? Number(form.elements.up.value) : 0
      keepInAddress({
        code: form.elements.code && form.elements.code.checked ? "1" : "",
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

  window.addEventListener("hashchange", () => apply(document.querySelector("form.digest-toolbar")))

  return Object.freeze({ apply, setUp })
})()
