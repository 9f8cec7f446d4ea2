// Related papers of an entry on a day page, fetched when asked for: they are not on
// the pages (generator/render/related_files.py says why and where they are).
globalThis.Reader ??= {}

Reader.related = (() => {
  // [title, address, authors, day] of each related paper, best first.
  async function relatedOf(key) {
    const meta = await IndexFiles.load("meta.json")
    const lists = await IndexFiles.load(`related/${SearchText.fnv1a(key) % meta.related_files}.json`)
    return Promise.all((lists[key] || []).map(async n => {
      const docs = await IndexFiles.load(`docs/${Math.floor(n / meta.docs_per_file)}.json`)
      return docs[n % meta.docs_per_file]
    }))
  }

  function box(docs) {
    const shown = document.createElement("div")
    shown.className = "paper-related"
    if (!docs.length) {
      shown.textContent = "No related papers in the digest."
      return shown
    }
    const list = document.createElement("ul")
    for (const doc of docs) {
      const item = document.createElement("li")
      const link = document.createElement("a")
      link.href = new URL(doc[1], IndexFiles.site).href
      link.textContent = doc[0] // text, never markup: titles are scraped
      item.append(link, ` · ${doc[3]}`)
      list.append(item)
    }
    shown.append("Related papers", list)
    return shown
  }

  async function toggle(entry) {
    const button = entry.querySelector(".paper-related-toggle")
    if (!button || button.getAttribute("aria-busy") === "true") return
    const shown = entry.querySelector(".paper-related")
    if (shown) {
      shown.hidden = !shown.hidden
      button.setAttribute("aria-expanded", String(!shown.hidden))
      return
    }
    button.setAttribute("aria-busy", "true")
    try {
      const docs = await relatedOf(entry.dataset.key)
      const place = entry.querySelector(".paper-abstract") || entry.querySelector(".paper-meta")
      place.after(box(docs))
      button.setAttribute("aria-expanded", "true")
    } catch (error) {
      console.warn(`Paper Digest related papers: ${error}`)
      button.textContent = "Related (failed, try again)"
    }
    button.removeAttribute("aria-busy")
  }

  function setUp(entry) {
    if (entry.tagName !== "ARTICLE" || entry.querySelector(".paper-related-toggle")) return
    const button = Reader.page.foldButton("paper-more paper-related-toggle", "Related", () => toggle(entry))
    entry.querySelector(".paper-meta").append(" ", button)
  }

  return Object.freeze({ toggle, setUp })
})()
