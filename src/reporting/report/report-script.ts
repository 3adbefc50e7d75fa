/**
 * The report's script (runs in the page, after the Vega runtime and `unpackJson`): renders every chart
 * from its compiled Vega spec (a packed JSON data block, parsed, never evaluated), then marks `<body data-charts="N">` so that
 * tests and screenshots know the page is done; sorts the trials table when a header button is pressed
 * (numbers numerically, blanks last, stable; ascending then descending; `aria-sort` tells screen
 * readers). Plain ES2020, no dependencies.
 */
export const REPORT_SCRIPT = `(() => {
  "use strict";
  function renderCharts() {
    var block = document.getElementById("report-charts");
    var specs = block ? unpackJson(JSON.parse(block.textContent)) : [];
    var views = specs.map(function (spec, i) {
      var el = document.getElementById("chart-" + i);
      try {
        var view = new vega.View(vega.parse(spec), { renderer: "svg", container: el, hover: true });
        return view.runAsync().then(function () { el.dataset.rendered = "yes"; }, function (e) { fail(el, e); });
      } catch (e) {
        fail(el, e);
        return Promise.resolve();
      }
    });
    Promise.all(views).then(function () { document.body.dataset.charts = String(specs.length); });
  }
  function fail(el, error) {
    el.classList.add("failed");
    el.textContent = "This chart could not be drawn: " + (error && error.message ? error.message : String(error));
    console.error(error);
  }
  function sortKey(cell, numeric) {
    if (!cell) return null;
    var raw = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
    if (raw === "") return null;
    if (!numeric) return raw;
    var n = Number(raw);
    return Number.isNaN(n) ? null : n;
  }
  function sortTable(table, th) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var column = headers.indexOf(th);
    var numeric = th.dataset.type === "number";
    var descending = th.getAttribute("aria-sort") === "ascending";
    headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, i: i, key: sortKey(row.cells[column], numeric) };
    });
    var collator = new Intl.Collator(undefined, { numeric: true });
    rows.sort(function (a, b) {
      if (a.key === null || b.key === null) return a.key === b.key ? a.i - b.i : a.key === null ? 1 : -1;
      var c = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      return (descending ? -c : c) || a.i - b.i;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (r) { fragment.appendChild(r.row); });
    body.appendChild(fragment);
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.tHead.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (button) sortTable(table, button.closest("th"));
    });
  });
  if (typeof vega === "undefined") {
    console.error("The Vega runtime is missing; charts cannot be drawn.");
    document.body.dataset.charts = "0";
  } else {
    renderCharts();
  }
})();
`;
