(function () {
  "use strict";
  var reader = document.getElementById("reader");
  var body = document.getElementById("reader-body");
  var current = null;
  function show(number, link) {
    var anchor = document.getElementById("cite-" + number);
    if (!anchor) { return false; }
    var doc = anchor.closest(".doc");
    var copy = doc.querySelector(".doctext").cloneNode(true);
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    var marks = copy.querySelectorAll('mark[data-c~="c' + number + '"]');
    marks.forEach(function (m) { m.classList.add("active"); });
    body.replaceChildren(copy);
    document.getElementById("reader-title").textContent = doc.getAttribute("data-label");
    document.getElementById("reader-meta").textContent = doc.getAttribute("data-meta");
    reader.hidden = false;
    document.body.classList.add("reading");
    if (current) { current.classList.remove("current"); }
    current = link;
    if (link) { link.classList.add("current"); }
    body.scrollTop = 0;
    if (marks.length) { marks[0].scrollIntoView({block: "center"}); }
    return true;
  }
  function close() {
    reader.hidden = true;
    document.body.classList.remove("reading");
    if (current) { current.classList.remove("current"); current = null; }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.cite");
    if (link && show(link.getAttribute("data-cite"), link)) { event.preventDefault(); return; }
    var filter = event.target.closest("button[data-filter]");
    if (filter) {
      var group = filter.parentNode;
      group.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
      filter.setAttribute("aria-pressed", "true");
      document.querySelector("table.facts").setAttribute("data-filter", filter.getAttribute("data-filter"));
    }
  });
  document.getElementById("reader-close").addEventListener("click", close);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
})();
