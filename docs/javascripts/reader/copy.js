// Copying: click an arXiv id to copy it, a "Copy BibTeX" button next to every BibTeX
// download link, and a "Copy address" button next to every feed's address on the
// feeds page and next to a topic page's feed link (what a feed reader asks for: the
// link itself leads people to the feeds page, a feed being for feed readers).
globalThis.Reader ??= {}

Reader.copy = (() => {
  async function copy(text, element) {
    await navigator.clipboard.writeText(text)
    element.classList.add("digest-copied")
    setTimeout(() => element.classList.remove("digest-copied"), 1500)
  }

  // A button after each link matching `selector` that copies what `text(link)` gives.
  function copyButtons(selector, label, text) {
    for (const link of document.querySelectorAll(`${selector}:not([data-ready])`)) {
      link.dataset.ready = "1"
      const button = document.createElement("button")
      button.type = "button"
      button.className = "digest-copy"
      button.textContent = label
      button.setAttribute("aria-label", `${label}: ${link.textContent}`)
      button.addEventListener("click", async () => copy(await text(link), button))
      link.after(" ", button)
    }
  }

  function setUp() {
    for (const code of document.querySelectorAll("code.arxiv-id:not([data-ready])")) {
      code.dataset.ready = "1"
      code.setAttribute("role", "button")
      code.setAttribute("tabindex", "0")
      code.title = "Copy the arXiv id"
      code.addEventListener("click", () => copy(code.textContent, code))
      code.addEventListener("keydown", event => {
        if (event.key === "Enter") copy(code.textContent, code)
      })
    }
    copyButtons("a.digest-bib", "Copy BibTeX", async link => (await fetch(link.href)).text())
    copyButtons("code.digest-feed-address", "Copy address", async code => code.textContent)
    const feed = document.getElementById("digest-page-feed") // the page's own, in its head
    if (feed) copyButtons("a.digest-feed", "Copy address", async () => feed.href)
  }

  return Object.freeze({ setUp })
})()
