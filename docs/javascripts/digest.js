// Reader conveniences on top of Material: click an arXiv id to copy it, a
// "Copy BibTeX" button next to every BibTeX download link, and a "Copy address"
// button next to every feed link (what a feed reader asks for). `document$` re-runs this
// after each instant-navigation page change.
(() => {
  function digestCopy(text, element) {
    navigator.clipboard.writeText(text).then(function () {
      element.classList.add("digest-copied");
      setTimeout(function () { element.classList.remove("digest-copied"); }, 1500);
    });
  }

  // A button after each link matching `selector` that copies what `text(link)` gives.
  function copyButtons(selector, label, text) {
    document.querySelectorAll(selector + ":not([data-ready])").forEach(function (link) {
      link.dataset.ready = "1";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "digest-copy";
      button.textContent = label;
      button.setAttribute("aria-label", label + ": " + link.textContent);
      button.addEventListener("click", function () {
        text(link).then(function (value) { digestCopy(value, button); });
      });
      link.after(" ", button);
    });
  }

  document$.subscribe(function () {
    document.querySelectorAll("code.arxiv-id:not([data-ready])").forEach(function (code) {
      code.dataset.ready = "1";
      code.setAttribute("role", "button");
      code.setAttribute("tabindex", "0");
      code.title = "Copy the arXiv id";
      code.addEventListener("click", function () { digestCopy(code.textContent, code); });
      code.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { digestCopy(code.textContent, code); }
      });
    });
    copyButtons("a.digest-bib", "Copy BibTeX", function (link) {
      return fetch(link.href).then(function (answer) { return answer.text(); });
    });
    copyButtons("a.digest-feed", "Copy address", function (link) { return Promise.resolve(link.href); });
  });
})()
