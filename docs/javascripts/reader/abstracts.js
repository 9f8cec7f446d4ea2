// Compact or expanded entries: an abstract's first lines, or all of it, one entry at a
// time (its button, a click on the abstract, the x key); the page-wide choice is the
// toolbar's (filters.js).
globalThis.Reader ??= {}

Reader.abstracts = (() => {
  function toggle(entry, open) {
    if (!entry.querySelector(".paper-abstract")) return
    const now = open === undefined ? !entry.classList.contains("paper--open") : open
    entry.classList.toggle("paper--open", now)
    const button = entry.querySelector(".paper-more:not(.paper-related-toggle)")
    if (button) {
      button.setAttribute("aria-expanded", String(now))
      button.textContent = now ? "Shorter abstract" : "Full abstract"
    }
  }

  function setUp(entry) {
    const abstract = entry.querySelector(".paper-abstract")
    if (!abstract || abstract.dataset.ready) return
    abstract.dataset.ready = "1"
    const button = Reader.page.foldButton("paper-more", "Full abstract", () => toggle(entry))
    const meta = entry.querySelector(".paper-meta")
    if (meta) meta.append(" ", button)
    else abstract.after(button)
    abstract.addEventListener("click", () => {
      if (!String(window.getSelection() || "")) toggle(entry) // not when selecting text to copy
    })
  }

  return Object.freeze({ toggle, setUp })
})()
