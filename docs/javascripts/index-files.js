// The files of the search index (search/digest/, written by generator/render/search.py),
// each fetched once and parsed: shared by the search worker, which loads this with
// importScripts, and the pages' scripts (related papers). A file that failed to come
// is asked again the next time it is needed.
const IndexFiles = (() => {
  // This script is SITE/javascripts/index-files.js, in a page or in the worker.
  const here = typeof document === "undefined" ? self.location.href : document.currentScript.src
  const site = new URL("../", here)
  const base = new URL("search/digest/", site)
  const files = new Map() // url -> Promise of the parsed file, kept across instant page changes

  function load(path) {
    const url = new URL(path, base).href
    if (!files.has(url))
      files.set(url, fetch(url).then(answer => {
        if (!answer.ok) throw new Error(`${url}: HTTP ${answer.status}`)
        return answer.json()
      }).catch(error => {
        files.delete(url)
        throw error
      }))
    return files.get(url)
  }

  return Object.freeze({ site, load })
})()

globalThis.IndexFiles = IndexFiles
