// Material's search results, made honest and marked. The search worker
// (search-worker.js) says on a BroadcastChannel how many papers and topics matched,
// where Material would count groups, and answers "more"; here the count, the "Show
// more" button, the query's filters as chips, and each result's reading status.
globalThis.Reader ??= {}

Reader.searchResults = (() => {
  const channel = "BroadcastChannel" in window ? new BroadcastChannel("paper-digest-search") : null
  let lastCount = null

  const plural = (n, word) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`

  function showCount() {
    const meta = document.querySelector(".md-search-result__meta")
    const input = document.querySelector("input.md-search__input")
    const chips = document.querySelector(".digest-search-chips")
    if (chips && (!input || !input.value.trim())) chips.hidden = true
    if (!meta || !lastCount || !input || !input.value.trim()) return
    showChips(meta, input)
    let text = lastCount.papers || lastCount.topics
      ? [plural(lastCount.papers, "paper"), lastCount.topics ? plural(lastCount.topics, "topic") : ""].filter(Boolean).join(" · ")
      : "No papers found"
    if (lastCount.corrected.length) text += ` (with ${lastCount.corrected.join(", ")})`
    if (meta.textContent !== text) meta.textContent = text
    meta.dataset.query = lastCount.query // which query the count is of (tests wait for it)
    let more = document.querySelector(".digest-search-more")
    const list = document.querySelector(".md-search-result__list")
    if (!more && list) {
      more = document.createElement("button")
      more.type = "button"
      more.className = "digest-search-more md-button"
      more.addEventListener("click", () => channel.postMessage({ more: lastCount.query }))
      list.after(more)
    }
    if (more) {
      const left = lastCount.papers - lastCount.shown
      more.hidden = left <= 0
      more.textContent = `Show ${Math.min(left, lastCount.step)} more papers (${left.toLocaleString("en")} not shown)`
    }
  }

  // Filters as chips under the search box: each of the query's (a click on its cross
  // takes it out of the query), then filters the reader may add (a click puts it in).
  function showChips(meta, input) {
    let box = document.querySelector(".digest-search-chips")
    if (!box) {
      box = document.createElement("div")
      box.className = "digest-search-chips"
      meta.after(box)
    }
    const shown = JSON.stringify([lastCount.filters, lastCount.offers])
    box.hidden = !lastCount.filters.length && !lastCount.offers.length
    if (box.dataset.shown === shown) return
    box.dataset.shown = shown
    box.textContent = ""
    for (const filter of lastCount.filters) {
      const chip = document.createElement("span")
      chip.className = `digest-chip${filter.ok ? "" : " digest-chip--bad"}`
      chip.textContent = filter.ok ? filter.label : `${filter.token}: ${filter.note}`
      const remove = document.createElement("button")
      remove.type = "button"
      remove.className = "digest-chip__remove"
      remove.textContent = "×"
      remove.setAttribute("aria-label", `Remove ${filter.token}`)
      remove.addEventListener("click", () => setQuery(input, input.value.split(/\s+/).filter(t => t && t !== filter.token).join(" ")))
      chip.appendChild(remove)
      box.appendChild(chip)
    }
    for (const offer of lastCount.offers) {
      const add = document.createElement("button")
      add.type = "button"
      add.className = "digest-chip digest-chip--offer"
      add.textContent = `+ ${offer.label}`
      add.setAttribute("aria-label", `Add the filter ${offer.token}`)
      add.addEventListener("click", () => setQuery(input, `${input.value.trim()} ${offer.token}`.trim()))
      box.appendChild(add)
    }
  }

  // A query changed for the reader: Material searches on the input's keyup.
  function setQuery(input, value) {
    input.value = value ? `${value} ` : ""
    input.focus()
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  }

  if (channel)
    channel.addEventListener("message", event => {
      if (event.data && typeof event.data.papers === "number") {
        lastCount = event.data
        showCount()
      }
    })

  // Results Material's search draws link to entries by anchor, the papers' keys.
  function markResults(list) {
    for (const link of list.querySelectorAll("a.md-search-result__link")) {
      const key = decodeURIComponent((link.hash || "").slice(1))
      const status = key ? Reader.reading.statusOf(key) : ""
      const article = link.querySelector("article") || link
      article.classList.toggle("digest-result--seen", status === "seen" || status === "read")
      const title = link.querySelector("h1, h2") || article
      Reader.reading.badge(link, status, badge => title.appendChild(badge))
    }
  }

  function watch() {
    const list = document.querySelector(".md-search-result__list")
    if (!list || list.dataset.digestWatched) return
    list.dataset.digestWatched = "1"
    new MutationObserver(() => {
      markResults(list)
      showCount()
    }).observe(list, { childList: true })
    const meta = document.querySelector(".md-search-result__meta")
    if (meta) new MutationObserver(showCount).observe(meta, { childList: true, characterData: true, subtree: true })
  }

  return Object.freeze({ watch })
})()
