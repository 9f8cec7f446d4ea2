// Keys: j/k move between papers, o opens the paper (O in a new tab), x opens its
// abstract, r shows its related papers, ? lists the keys. Material keeps its own:
// / and s search, n and p move by day.
globalThis.Reader ??= {}

Reader.keys = (() => {
  const KEYS = [
    ["j", "next paper"],
    ["k", "previous paper"],
    ["o", "open the paper (O: in a new tab)"],
    ["x", "open or close the abstract"],
    ["r", "show or hide related papers (on a day page)"],
    ["n / p", "next or previous day (on a day page)"],
    ["/ or s", "search"],
    ["?", "this list"],
  ]

  function showKeys() {
    let dialog = document.getElementById("digest-keys")
    if (!dialog) {
      dialog = document.createElement("dialog")
      dialog.id = "digest-keys"
      dialog.className = "digest-keys md-typeset"
      dialog.setAttribute("aria-labelledby", "digest-keys-title")
      const rows = KEYS.map(([key, what]) => `<tr><td><kbd>${key}</kbd></td><td>${what}</td></tr>`).join("")
      dialog.innerHTML = `<h2 id="digest-keys-title">Keyboard shortcuts</h2><table>${rows}</table>` +
        "<form method=\"dialog\"><button type=\"submit\">Close</button></form>"
      document.body.appendChild(dialog)
    }
    if (!dialog.open) dialog.showModal()
  }

  function move(step) {
    const list = Reader.page.visibleEntries()
    if (!list.length) return
    const current = document.querySelector(".paper--current")
    let at = list.indexOf(current)
    if (at < 0) {
      // Start from the first paper below the top of the screen (or the last above it).
      at = list.findIndex(entry => entry.getBoundingClientRect().top >= 0)
      at = at < 0 ? list.length - 1 : (step > 0 ? at - 1 : at)
    }
    const next = list[Math.min(Math.max(at + step, 0), list.length - 1)]
    if (current) current.classList.remove("paper--current")
    next.classList.add("paper--current")
    next.scrollIntoView({ block: "start" })
    const link = Reader.page.titleLink(next)
    if (link) link.focus({ preventScroll: true })
  }

  const current = () => document.querySelector(".paper--current:not([hidden])")

  function openCurrent(newTab) {
    const entry = current()
    const link = entry && Reader.page.titleLink(entry)
    if (!link) return
    if (newTab) window.open(link.href, "_blank", "noopener")
    else link.click()
  }

  function typing(event) {
    const target = event.target
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  }

  const ACTIONS = {
    j: () => move(1),
    k: () => move(-1),
    o: () => openCurrent(false),
    O: () => openCurrent(true),
    x: () => current() && Reader.abstracts.toggle(current()),
    r: () => current() && Reader.related.toggle(current()),
    "?": showKeys,
  }

  document.addEventListener("keydown", event => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return
    const search = document.querySelector("[data-md-toggle=search]")
    if (search && search.checked) return // Material's search has the keys while open
    if (!Object.hasOwn(ACTIONS, event.key)) return
    ACTIONS[event.key]()
    event.preventDefault()
  })

  return Object.freeze({ showKeys })
})()
