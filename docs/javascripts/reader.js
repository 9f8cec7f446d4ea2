// Reading the digest, all in the browser: nothing here talks to a server.
//
// - Compact or expanded entries: an abstract's first lines, or all of it; the
//   choice is remembered.
// - Keys: j/k move between papers, o opens the paper (O in a new tab), x opens its
//   abstract, r shows its related papers, ? lists the keys. Material keeps its own: / and s search, n and p
//   move by day.
// - Reading state, kept in localStorage: a paper is "seen" once a page showed it.
//   A pause of VISIT_GAP starts a new visit; papers first seen during this visit
//   are marked "new" (not on a first visit ever, when everything would be), papers
//   seen on an earlier visit can be hidden, and "Mark all as read" hides a page's.
// - Filters (has code, a topic, least upvotes) on day and topic pages, kept in the
//   page's address so that a filtered page can be shared.
// - Related papers of an entry on a day page, fetched when asked for: they are not
//   on the pages (generator/render/related_files.py says why and where they are).
//
// Entries are `article.paper` (day pages) and `li.paper` (lists); the generator
// gives each `data-key` (its anchor), `data-code`, `data-up` and `data-topics`
// (generator/render/entries.py). Material's `document$` runs `show` after every
// instant-navigation page change.
(function () {
  "use strict";

  const STORE = "paper-digest.reading.v1";
  const VISIT_GAP = 30; // minutes
  const MAX_SEEN = 20000; // papers remembered; the oldest are forgotten first
  const FILTERS = ["code", "topic", "up"];
  // This script is SITE/javascripts/reader.js: the site and its paper index from there.
  const SITE = new URL("../", document.currentScript.src);
  const INDEX = new URL("search/digest/", SITE);

  function minutes() { return Math.floor(Date.now() / 60000); }

  function load() {
    try {
      const state = JSON.parse(localStorage.getItem(STORE) || "{}");
      if (state && typeof state === "object" && !Array.isArray(state)) { return state; }
    } catch { /* unreadable: start again */ }
    return {};
  }

  function save(state) {
    const keys = Object.keys(state.seen || {});
    if (keys.length > MAX_SEEN) {
      keys.sort(function (a, b) { return state.seen[a] - state.seen[b]; });
      keys.slice(0, keys.length - MAX_SEEN).forEach(function (key) { delete state.seen[key]; delete state.read[key]; });
    }
    try { localStorage.setItem(STORE, JSON.stringify(state)); } catch { /* full or blocked: state lives for this page */ }
  }

  const state = load();
  state.seen = state.seen || {};
  state.read = state.read || {};

  function applyView() {
    document.documentElement.dataset.digestView = state.view === "expanded" ? "expanded" : "compact";
  }
  applyView();

  function startVisit() {
    const now = minutes();
    if (!state.visit || now - state.visit.last > VISIT_GAP) {
      state.visit = { start: now, last: now, first: !state.visit };
    } else {
      state.visit.last = now;
    }
  }

  function statusOf(key) {
    if (state.read[key]) { return "read"; }
    const seen = state.seen[key];
    if (seen === undefined) { return ""; }
    if (seen < state.visit.start) { return "seen"; }
    return state.visit.first ? "" : "new";
  }

  function entries() { return Array.prototype.slice.call(document.querySelectorAll(".paper[data-key]")); }

  function mark(entry, status) {
    entry.classList.remove("paper--new", "paper--seen", "paper--read");
    if (status) { entry.classList.add("paper--" + status); }
    let badge = entry.querySelector(".paper-new");
    if (status === "new" && !badge) {
      badge = document.createElement("span");
      badge.className = "paper-new";
      badge.textContent = "new";
      const title = entry.querySelector(".paper-title");
      (title.tagName === "A" ? title : title.firstElementChild || title).after(badge);
    } else if (status !== "new" && badge) {
      badge.remove();
    }
  }

  // ---- filters ------------------------------------------------------------------

  function filtersFromAddress() {
    const params = new URLSearchParams(location.search);
    const out = {};
    FILTERS.forEach(function (name) { if (params.get(name)) { out[name] = params.get(name); } });
    return out;
  }

  function keepInAddress(filters) {
    const params = new URLSearchParams(location.search);
    FILTERS.forEach(function (name) {
      if (filters[name]) { params.set(name, filters[name]); } else { params.delete(name); }
    });
    const query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function passes(entry, filters) {
    if (filters.code && !entry.dataset.code) { return false; }
    if (filters.topic && (" " + (entry.dataset.topics || "") + " ").indexOf(" " + filters.topic + " ") < 0) { return false; }
    if (filters.up && !(Number(entry.dataset.up || 0) >= Number(filters.up))) { return false; }
    if (state.hideSeen && (entry.classList.contains("paper--seen") || entry.classList.contains("paper--read"))) { return false; }
    return true;
  }

  function applyFilters(form) {
    const filters = filtersFromAddress();
    const all = entries();
    let shown = 0;
    all.forEach(function (entry) {
      const ok = passes(entry, filters);
      entry.hidden = !ok;
      if (ok) { shown += 1; }
    });
    // A month of a topic's list with nothing left in it loses its heading too.
    document.querySelectorAll("ul.paper-lines").forEach(function (list) {
      const empty = !list.querySelector("li.paper:not([hidden])");
      list.hidden = empty;
      const heading = list.previousElementSibling;
      if (heading && heading.tagName === "H2") { heading.hidden = empty; }
    });
    if (form) {
      form.querySelector(".digest-count").textContent = shown === all.length
        ? all.length + " paper" + (all.length === 1 ? "" : "s")
        : "Showing " + shown + " of " + all.length + " papers";
    }
  }

  function setUpToolbar(form) {
    const filters = filtersFromAddress();
    form.elements.code.checked = Boolean(filters.code);
    if (form.elements.topic) { form.elements.topic.value = filters.topic || ""; }
    if (form.elements.up) { form.elements.up.value = filters.up || ""; }
    form.elements.unseen.checked = Boolean(state.hideSeen);
    const view = form.querySelector("[data-action=view]");
    view.setAttribute("aria-pressed", String(state.view === "expanded"));
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function () {
      keepInAddress({
        code: form.elements.code.checked ? "1" : "",
        topic: form.elements.topic ? form.elements.topic.value : "",
        up: form.elements.up && Number(form.elements.up.value) > 0 ? String(Math.floor(Number(form.elements.up.value))) : "",
      });
      state.hideSeen = form.elements.unseen.checked;
      save(state);
      applyFilters(form);
    });
    form.querySelector("[data-action=read]").addEventListener("click", function () { markAllRead(form); });
    view.addEventListener("click", function () {
      state.view = state.view === "expanded" ? "compact" : "expanded";
      view.setAttribute("aria-pressed", String(state.view === "expanded"));
      save(state);
      applyView();
    });
    form.querySelector("[data-action=keys]").addEventListener("click", showKeys);
    form.hidden = false;
  }

  function markAllRead(form) {
    entries().forEach(function (entry) {
      state.read[entry.dataset.key] = 1;
      mark(entry, "read");
    });
    save(state);
    applyFilters(form);
  }

  // ---- abstracts --------------------------------------------------------------------

  function toggleAbstract(entry, open) {
    const abstract = entry.querySelector(".paper-abstract");
    if (!abstract) { return; }
    const now = open === undefined ? !entry.classList.contains("paper--open") : open;
    entry.classList.toggle("paper--open", now);
    const button = entry.querySelector(".paper-more:not(.paper-related-toggle)");
    if (button) {
      button.setAttribute("aria-expanded", String(now));
      button.textContent = now ? "Shorter abstract" : "Full abstract";
    }
  }

  // A button that opens and closes something of an entry (its abstract, its related papers).
  function foldButton(className, label, toggle) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.textContent = label;
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", toggle);
    return button;
  }

  function setUpAbstract(entry) {
    const abstract = entry.querySelector(".paper-abstract");
    if (!abstract || abstract.dataset.ready) { return; }
    abstract.dataset.ready = "1";
    const button = foldButton("paper-more", "Full abstract", function () { toggleAbstract(entry); });
    const meta = entry.querySelector(".paper-meta");
    if (meta) { meta.append(" ", button); } else { abstract.after(button); }
    abstract.addEventListener("click", function () {
      if (!String(window.getSelection() || "")) { toggleAbstract(entry); } // not when selecting text to copy
    });
  }

  // ---- related papers ---------------------------------------------------------------

  const fetched = {}; // index file -> Promise of its JSON, kept across instant page changes

  function indexFile(path) {
    if (!fetched[path]) {
      fetched[path] = fetch(new URL(path, INDEX)).then(function (answer) {
        if (!answer.ok) { throw new Error(path + ": HTTP " + answer.status); }
        return answer.json();
      });
      fetched[path].catch(function () { delete fetched[path]; }); // the next click tries again
    }
    return fetched[path];
  }

  // [title, address, authors, day] of each related paper, best first.
  function relatedOf(key) {
    return indexFile("meta.json").then(function (meta) {
      return indexFile("related/" + (SearchText.fnv1a(key) % meta.related_files) + ".json").then(function (lists) {
        return Promise.all((lists[key] || []).map(function (n) {
          return indexFile("docs/" + Math.floor(n / meta.docs_per_file) + ".json").then(function (docs) { return docs[n % meta.docs_per_file]; });
        }));
      });
    });
  }

  function relatedBox(docs) {
    const box = document.createElement("div");
    box.className = "paper-related";
    if (!docs.length) {
      box.textContent = "No related papers in the digest.";
      return box;
    }
    const list = document.createElement("ul");
    docs.forEach(function (doc) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = new URL(doc[1], SITE).href;
      link.textContent = doc[0]; // text, never markup: titles are scraped
      item.append(link, " · " + doc[3]);
      list.append(item);
    });
    box.append("Related papers", list);
    return box;
  }

  function toggleRelated(entry) {
    const button = entry.querySelector(".paper-related-toggle");
    if (!button || button.getAttribute("aria-busy") === "true") { return; }
    const box = entry.querySelector(".paper-related");
    if (box) {
      box.hidden = !box.hidden;
      button.setAttribute("aria-expanded", String(!box.hidden));
      return;
    }
    button.setAttribute("aria-busy", "true");
    relatedOf(entry.dataset.key).then(function (docs) {
      (entry.querySelector(".paper-abstract") || entry.querySelector(".paper-meta")).after(relatedBox(docs));
      button.setAttribute("aria-expanded", "true");
    }, function (error) {
      console.warn("Paper Digest related papers: " + error);
      button.textContent = "Related (failed, try again)";
    }).then(function () { button.removeAttribute("aria-busy"); });
  }

  function setUpRelated(entry) {
    if (entry.tagName !== "ARTICLE" || entry.querySelector(".paper-related-toggle")) { return; }
    const button = foldButton("paper-more paper-related-toggle", "Related", function () { toggleRelated(entry); });
    entry.querySelector(".paper-meta").append(" ", button);
  }

  // ---- keys -------------------------------------------------------------------------

  const KEYS = [
    ["j", "next paper"],
    ["k", "previous paper"],
    ["o", "open the paper (O: in a new tab)"],
    ["x", "open or close the abstract"],
    ["r", "show or hide related papers (on a day page)"],
    ["n / p", "next or previous day (on a day page)"],
    ["/ or s", "search"],
    ["?", "this list"],
  ];

  function showKeys() {
    let dialog = document.getElementById("digest-keys");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "digest-keys";
      dialog.className = "digest-keys md-typeset";
      dialog.setAttribute("aria-labelledby", "digest-keys-title");
      const rows = KEYS.map(function (k) { return "<tr><td><kbd>" + k[0] + "</kbd></td><td>" + k[1] + "</td></tr>"; }).join("");
      dialog.innerHTML = '<h2 id="digest-keys-title">Keyboard shortcuts</h2><table>' + rows +
        '</table><form method="dialog"><button type="submit">Close</button></form>';
      document.body.appendChild(dialog);
    }
    if (!dialog.open) { dialog.showModal(); }
  }

  function visibleEntries() { return entries().filter(function (entry) { return !entry.hidden; }); }

  function move(step) {
    const list = visibleEntries();
    if (!list.length) { return; }
    const current = document.querySelector(".paper--current");
    let at = list.indexOf(current);
    if (at < 0) {
      // Start from the first paper below the top of the screen (or the last above it).
      at = list.findIndex(function (entry) { return entry.getBoundingClientRect().top >= 0; });
      at = at < 0 ? list.length - 1 : (step > 0 ? at - 1 : at);
    }
    const next = list[Math.min(Math.max(at + step, 0), list.length - 1)];
    if (current) { current.classList.remove("paper--current"); }
    next.classList.add("paper--current");
    next.scrollIntoView({ block: "start" });
    const link = next.querySelector(".paper-title a, a.paper-title");
    if (link) { link.focus({ preventScroll: true }); }
  }

  function current() { return document.querySelector(".paper--current:not([hidden])"); }

  function openCurrent(newTab) {
    const entry = current();
    const link = entry && entry.querySelector(".paper-title a, a.paper-title");
    if (!link) { return; }
    if (newTab) { window.open(link.href, "_blank", "noopener"); } else { link.click(); }
  }

  function typing(event) {
    const target = event.target;
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    const search = document.querySelector("[data-md-toggle=search]");
    if (search && search.checked) { return; } // Material's search has the keys while open
    let done = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "o": openCurrent(false); break;
      case "O": openCurrent(true); break;
      case "x": if (current()) { toggleAbstract(current()); } break;
      case "r": if (current()) { toggleRelated(current()); } break;
      case "?": showKeys(); break;
      default: done = false;
    }
    if (done) { event.preventDefault(); }
  });

  // ---- search results ---------------------------------------------------------------

  // Honest counts and more results: the search worker (search-worker.js) says how many
  // papers and topics matched, where Material would count groups, and answers "more".
  const searchChannel = "BroadcastChannel" in window ? new BroadcastChannel("paper-digest-search") : null;
  let lastCount = null;

  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }

  function showCount() {
    const meta = document.querySelector(".md-search-result__meta");
    const input = document.querySelector("input.md-search__input");
    const chips = document.querySelector(".digest-search-chips");
    if (chips && (!input || !input.value.trim())) { chips.hidden = true; }
    if (!meta || !lastCount || !input || !input.value.trim()) { return; }
    showChips(meta, input);
    let text = lastCount.papers || lastCount.topics
      ? [plural(lastCount.papers, "paper"), lastCount.topics ? plural(lastCount.topics, "topic") : ""].filter(Boolean).join(" · ")
      : "No papers found";
    if (lastCount.corrected.length) { text += " (with " + lastCount.corrected.join(", ") + ")"; }
    if (meta.textContent !== text) { meta.textContent = text; }
    meta.dataset.query = lastCount.query; // which query the count is of (tests wait for it)
    let more = document.querySelector(".digest-search-more");
    const list = document.querySelector(".md-search-result__list");
    if (!more && list) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "digest-search-more md-button";
      more.addEventListener("click", function () { searchChannel.postMessage({ more: lastCount.query }); });
      list.after(more);
    }
    if (more) {
      const left = lastCount.papers - lastCount.shown;
      more.hidden = left <= 0;
      more.textContent = "Show " + Math.min(left, lastCount.step) + " more papers (" + left.toLocaleString("en") + " not shown)";
    }
  }

  // Filters as chips under the search box: each of the query's (a click on its cross
  // takes it out of the query), then filters the reader may add (a click puts it in).
  function showChips(meta, input) {
    let box = document.querySelector(".digest-search-chips");
    if (!box) {
      box = document.createElement("div");
      box.className = "digest-search-chips";
      meta.after(box);
    }
    const shown = JSON.stringify([lastCount.filters, lastCount.offers]);
    box.hidden = !lastCount.filters.length && !lastCount.offers.length;
    if (box.dataset.shown === shown) { return; }
    box.dataset.shown = shown;
    box.textContent = "";
    lastCount.filters.forEach(function (filter) {
      const chip = document.createElement("span");
      chip.className = "digest-chip" + (filter.ok ? "" : " digest-chip--bad");
      chip.textContent = filter.ok ? filter.label : filter.token + ": " + filter.note;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "digest-chip__remove";
      remove.textContent = "×";
      remove.setAttribute("aria-label", "Remove " + filter.token);
      remove.addEventListener("click", function () { setQuery(input, input.value.split(/\s+/).filter(function (t) { return t && t !== filter.token; }).join(" ")); });
      chip.appendChild(remove);
      box.appendChild(chip);
    });
    lastCount.offers.forEach(function (offer) {
      const add = document.createElement("button");
      add.type = "button";
      add.className = "digest-chip digest-chip--offer";
      add.textContent = "+ " + offer.label;
      add.setAttribute("aria-label", "Add the filter " + offer.token);
      add.addEventListener("click", function () { setQuery(input, (input.value.trim() + " " + offer.token).trim()); });
      box.appendChild(add);
    });
  }

  // A query changed for the reader: Material searches on the input's keyup.
  function setQuery(input, value) {
    input.value = value ? value + " " : "";
    input.focus();
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  if (searchChannel) {
    searchChannel.addEventListener("message", function (event) {
      if (event.data && typeof event.data.papers === "number") { lastCount = event.data; showCount(); }
    });
  }

  // Results Material's search draws link to entries by anchor, the papers' keys.
  function markResults(list) {
    list.querySelectorAll("a.md-search-result__link").forEach(function (link) {
      const key = decodeURIComponent((link.hash || "").slice(1));
      const status = key ? statusOf(key) : "";
      const article = link.querySelector("article") || link;
      article.classList.toggle("digest-result--seen", status === "seen" || status === "read");
      let badge = link.querySelector(".paper-new");
      if (status === "new" && !badge) {
        badge = document.createElement("span");
        badge.className = "paper-new";
        badge.textContent = "new";
        const title = link.querySelector("h1, h2") || article;
        title.appendChild(badge);
      } else if (status !== "new" && badge) {
        badge.remove();
      }
    });
  }

  function watchResults() {
    const list = document.querySelector(".md-search-result__list");
    if (!list || list.dataset.digestWatched) { return; }
    list.dataset.digestWatched = "1";
    new MutationObserver(function () { markResults(list); showCount(); }).observe(list, { childList: true });
    const meta = document.querySelector(".md-search-result__meta");
    if (meta) { new MutationObserver(showCount).observe(meta, { childList: true, characterData: true, subtree: true }); }
  }

  // ---- each page --------------------------------------------------------------------

  function show() {
    startVisit();
    const now = minutes();
    entries().forEach(function (entry) {
      const key = entry.dataset.key;
      if (state.seen[key] === undefined) { state.seen[key] = now; }
      mark(entry, statusOf(key));
      setUpAbstract(entry);
      setUpRelated(entry);
    });
    save(state);
    const form = document.querySelector("form.digest-toolbar");
    if (form && !form.dataset.ready) {
      form.dataset.ready = "1";
      setUpToolbar(form);
    }
    applyFilters(form);
    watchResults();
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(show);
  } else {
    document.addEventListener("DOMContentLoaded", show);
  }
})();
