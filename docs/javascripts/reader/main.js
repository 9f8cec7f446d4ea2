// Reading the digest, all in the browser: nothing here talks to a server but for the
// site's own files. One module a feature, each a property of `Reader`, loaded in the
// order mkdocs.yml lists them:
//   reading.js         reading state and preferences (localStorage)
//   page.js            a page's entries, the "new" mark, fold buttons
//   abstracts.js       an abstract's first lines, or all of it
//   related.js         related papers, fetched when asked for
//   filters.js         the toolbar: filters in the address, hide seen, view, mark read
//   keys.js            the keys, and their list under ?
//   search-results.js  honest counts, "more", chips and marks in Material's search
//   copy.js            copy an arXiv id, a BibTeX file, a feed's address
// This one runs them on each page: Material's `document$` calls `show` after every
// instant-navigation page change.
globalThis.Reader ??= {}

Reader.show = () => {
  const { reading, page } = Reader
  reading.startVisit()
  const entries = page.entries()
  reading.noteShown(entries.map(entry => entry.dataset.key))
  for (const entry of entries) {
    page.mark(entry, reading.statusOf(entry.dataset.key))
    Reader.abstracts.setUp(entry)
    Reader.related.setUp(entry)
  }
  const form = document.querySelector("form.digest-toolbar")
  if (form && !form.dataset.ready) {
    form.dataset.ready = "1"
    Reader.filters.setUp(form)
  }
  Reader.filters.apply(form)
  Reader.searchResults.watch()
  Reader.copy.setUp()
}

if (typeof document$ === "undefined") document.addEventListener("DOMContentLoaded", Reader.show)
else document$.subscribe(Reader.show)
