// Reader conveniences on top of Material: click an arXiv id to copy it, and a
// "Copy BibTeX" button next to every BibTeX download link. `document$` re-runs this
// after each instant-navigation page change.
function digestCopy(text, element) {
  navigator.clipboard.writeText(text).then(function () {
    element.classList.add("digest-copied");
    setTimeout(function () { element.classList.remove("digest-copied"); }, 1500);
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
  document.querySelectorAll("a.digest-bib:not([data-ready])").forEach(function (link) {
    link.dataset.ready = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "digest-copy";
    button.textContent = "Copy BibTeX";
    button.addEventListener("click", function () {
      fetch(link.href).then(function (answer) { return answer.text(); }).then(function (text) { digestCopy(text, button); });
    });
    link.after(" ", button);
  });
});
