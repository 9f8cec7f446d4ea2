// What the other reader modules share about a page: its entries, and the buttons that
// open and close something of one. Entries are `article.paper` (day pages) and
// `li.paper` (lists); the generator gives each `data-key` (its anchor), `data-code`,
// `data-up` and `data-topics` (generator/render/entries.py).
globalThis.Reader ??= {}

Reader.page = (() => {
  const entries = () => [...document.querySelectorAll(".paper[data-key]")]

  const visibleEntries = () => entries().filter(entry => !entry.hidden)

  // The link of an entry's title, or null.
  const titleLink = entry => entry.querySelector(".paper-title a, a.paper-title")

  // Its reading status shown: a class, and the "new" badge after the title.
  function mark(entry, status) {
    entry.classList.remove("paper--new", "paper--seen", "paper--read")
    if (status) entry.classList.add(`paper--${status}`)
    const title = entry.querySelector(".paper-title")
    Reader.reading.badge(entry, status, badge => (title.tagName === "A" ? title : title.firstElementChild || title).after(badge))
  }

  // A button that opens and closes something of an entry (its abstract, its related papers).
  function foldButton(className, label, toggle) {
    const button = document.createElement("button")
    button.type = "button"
    button.className = className
    button.textContent = label
    button.setAttribute("aria-expanded", "false")
    button.addEventListener("click", toggle)
    return button
  }

  return Object.freeze({ entries, visibleEntries, titleLink, mark, foldButton })
})()
