import { UNPACK_JSON_SOURCE } from "../../../reporting/html/packed-json.js";
import { CANVAS_MIN_ITEMS } from "../dashboard-charts.js";

/**
 * The page script of every dashboard page, plain JavaScript served as an asset. User strings (names,
 * values, failure reasons) reach the DOM through `textContent` only, never as markup. It marks
 * `document.body.dataset` with `trials`, `trace` and `models` ("ready") as parts finish rendering, which
 * tests and the benchmark wait for, and `loadedMs` with the milliseconds from navigation until the trials
 * table and the trace were first painted.
 */
export const DASHBOARD_SCRIPT = `(function () {
"use strict";
${UNPACK_JSON_SOURCE}
var boot = JSON.parse(document.getElementById("boot").textContent);
var main = document.getElementById("main");
var banner = document.getElementById("banner");
var live = document.getElementById("live");
document.getElementById("where").textContent = boot.storage;

function el(tag, props, children) {
  var node = document.createElement(tag);
  if (props) for (var k in props) {
    if (k === "text") node.textContent = props[k];
    else if (k === "className") node.className = props[k];
    else if (k === "href") node.setAttribute("href", props[k]);
    else node.setAttribute(k, props[k]);
  }
  if (children) children.forEach(function (c) { if (c) node.appendChild(c); });
  return node;
}
function fmt(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(4);
  }
  return String(v);
}
function setError(message) {
  banner.textContent = message || "";
  banner.className = message ? "banner shown" : "banner";
}
function setLive(state, text) { live.dataset.state = state; live.textContent = text; }
function getJson(path) {
  return fetch(path, { headers: { accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
    return r.json().then(function (body) {
      if (!r.ok) throw new Error(body && body.error ? body.error : "HTTP " + r.status);
      return body;
    });
  });
}
function experimentUrl(name) { return "/experiments/" + encodeURIComponent(name); }
function apiUrl(name) { return "/api/experiments/" + encodeURIComponent(name); }
function statusText(byStatus) {
  return Object.keys(byStatus).filter(function (s) { return byStatus[s] > 0; })
    .map(function (s) { return byStatus[s] + " " + s.toLowerCase(); }).join(", ");
}
function bestText(summary) {
  if (summary.paretoPoints !== null) return summary.paretoPoints + " Pareto-optimal";
  var o = summary.objectives[0];
  if (!o) return "(no objective)";
  if (!summary.best) return "none yet";
  return fmt(summary.best.values[o.metric]) + " (trial " + summary.best.trialIndex + ")";
}

/* The experiments list, polled. */
function listPage() {
  document.title = "Experiments - Ascent dashboard";
  main.appendChild(el("h1", { text: "Experiments" }));
  var holder = el("div");
  main.appendChild(holder);
  function render(list) {
    setError(list.error ? "The store cannot be read: " + list.error : "");
    setLive(list.error ? "down" : "live", list.error ? "store unreachable" : "live");
    holder.textContent = "";
    if (!list.error && list.experiments.length === 0) {
      holder.appendChild(el("p", { className: "note", text: "No experiments are stored here yet." }));
    } else if (list.experiments.length > 0) {
      var body = el("tbody");
      list.experiments.forEach(function (x) {
        var s = x.summary;
        body.appendChild(el("tr", { "data-name": x.name }, [
          el("td", null, [el("a", { href: experimentUrl(x.name), text: x.name })]),
          el("td", { className: "num", text: s ? String(s.trials) : "" }),
          el("td", { text: s ? statusText(s.byStatus) : "" }),
          el("td", { text: x.error ? "unreadable: " + x.error : s ? bestText(s) : "" }),
          el("td", { text: s ? s.lastUpdated.replace("T", " ").replace(/[.][0-9]+Z$/, "Z") : "" }),
        ]));
      });
      var head = el("tr", null, ["name", "trials", "by status", "best", "last change"].map(function (h) { return el("th", { text: h }); }));
      holder.appendChild(el("div", { className: "table-wrap" }, [el("table", { id: "experiments" }, [el("thead", null, [head]), body])]));
    }
    document.body.dataset.list = "ready";
  }
  function poll() {
    getJson("/api/experiments").then(render, function (e) {
      setError("The dashboard cannot be reached: " + e.message);
      setLive("down", "offline");
    }).then(function () { setTimeout(poll, boot.listPollMs); });
  }
  poll();
}

/*
 * Charts: compiled Vega specs rendered with the Vega runtime as SVG. When a chart comes again with the
 * same structure (only its data changed, as when trials complete), its view is kept and only its
 * datasets are replaced: Vega then updates the marks that changed instead of drawing the chart anew.
 */
function dataItems(spec) {
  return (spec.data || []).reduce(function (n, d) { return n + (d.values ? d.values.length : 0); }, 0);
}
function shapeOf(spec) {
  return JSON.stringify(spec, function (key, value) { return key === "values" ? null : value; });
}
/*
 * Calls render(latest) at most once at a time, and after each call waits four times as long as it took
 * before the next, so that redrawing large charts never keeps the page busy (the latest data wins).
 */
function throttled(render) {
  var busy = false, pending = null, has = false;
  function run() {
    if (busy || !has) return;
    var value = pending;
    has = false;
    busy = true;
    var t0 = performance.now();
    render(value).then(function () {
      setTimeout(function () { busy = false; run(); }, 4 * (performance.now() - t0));
    });
  }
  return function (value) { pending = value; has = true; run(); };
}
/*
 * A group of charts drawn in one container. With lazy set, a chart is drawn only when its figure comes
 * near the viewport: a large experiment's charts below the table (parallel coordinates of thousands of
 * lines, the model views) would otherwise keep the page busy for seconds right after it loaded. The
 * marker ("ready") is set once every chart of the group is drawn; render's promise, which paces
 * updates, does not wait for charts not yet scrolled to.
 */
function chartGroup(container, marker, lazy) {
  var shown = [];
  function replaceData(view, spec) {
    (spec.data || []).forEach(function (d) {
      if (d.values) view.change(d.name, vega.changeset().remove(vega.truthy).insert(d.values));
    });
    return view.runAsync();
  }
  function draw(entry) {
    // SVG keeps every mark an element (with its description) for assistive technology and tests;
    // past a thousand data items the canvas renderer draws markedly faster.
    var renderer = dataItems(entry.spec) > ${CANVAS_MIN_ITEMS} ? "canvas" : "svg";
    entry.view = new vega.View(vega.parse(entry.spec), { renderer: renderer, container: entry.target, hover: true });
    return entry.view.runAsync();
  }
  function failed(e) { setError("A chart failed to render: " + e.message); }
  function whenNear(entry) {
    return new Promise(function (resolve, reject) {
      if (!lazy || typeof IntersectionObserver !== "function") { draw(entry).then(resolve, reject); return; }
      entry.observer = new IntersectionObserver(function (seen) {
        if (!seen.some(function (e) { return e.isIntersecting; })) return;
        entry.observer.disconnect();
        entry.observer = null;
        draw(entry).then(resolve, reject);
      }, { rootMargin: "300px" });
      entry.observer.observe(entry.target);
    });
  }
  return function render(packed) {
    var charts = packed.map(function (c) {
      return { kind: c.kind, title: c.title, caption: c.caption, vega: unpackJson(c.vega) };
    });
    var same = charts.length === shown.length && charts.every(function (c, i) {
      return c.kind === shown[i].kind && shapeOf(c.vega) === shown[i].shape;
    });
    if (same) {
      return Promise.all(charts.map(function (c, i) {
        shown[i].spec = c.vega;
        return shown[i].view ? replaceData(shown[i].view, c.vega) : null;
      })).then(null, failed);
    }
    shown.forEach(function (s) {
      if (s.observer) s.observer.disconnect();
      if (s.view) s.view.finalize();
    });
    container.textContent = "";
    shown = charts.map(function (c) {
      var target = el("div", { className: "chart" });
      // The chart draws its own title; the figure carries it for assistive technology.
      container.appendChild(el("figure", { "data-kind": c.kind, "aria-label": c.title }, [
        target, c.caption ? el("figcaption", { text: c.caption }) : null,
      ]));
      return { kind: c.kind, shape: shapeOf(c.vega), spec: c.vega, target: target, view: null, observer: null };
    });
    var all = Promise.all(shown.map(whenNear)).then(function () { document.body.dataset[marker] = "ready"; }, failed);
    return lazy ? Promise.resolve() : all;
  };
}

/*
 * The trials table: rows keyed by trial and arm, sortable by any column, shown a page at a time (a
 * browser lays out a few thousand rows far too slowly for a live page). A changed row is redrawn in
 * place when it is on the page shown.
 */
function trialsTable(container) {
  var PAGE = 100;
  var columns = null;
  var rows = new Map();
  var sorted = [];
  var pageIndex = 0;
  var sort = { column: "trialIndex", dir: -1 };
  var table = el("table", { id: "trials" });
  var thead = el("thead");
  var tbody = el("tbody");
  var info = el("span", { className: "pager-info", id: "pager-info" });
  var prev = el("button", { type: "button", id: "pager-prev", text: "previous" });
  var next = el("button", { type: "button", id: "pager-next", text: "next" });
  prev.addEventListener("click", function () { pageIndex--; render(); });
  next.addEventListener("click", function () { pageIndex++; render(); });
  table.appendChild(thead);
  table.appendChild(tbody);
  container.appendChild(el("div", { className: "table-wrap" }, [table]));
  container.appendChild(el("div", { className: "pager" }, [prev, info, next]));
  function label(name) { return name.indexOf("m:") === 0 || name.indexOf("p:") === 0 ? name.slice(2) : name; }
  function setColumns(nextColumns) {
    var same = columns && columns.names.length === nextColumns.names.length && columns.names.every(function (n, i) { return n === nextColumns.names[i]; });
    columns = nextColumns;
    if (same) return false;
    var tr = el("tr");
    nextColumns.names.forEach(function (name) {
      var th = el("th", { text: label(name), "data-column": name, scope: "col" });
      if (name === sort.column) th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
      th.addEventListener("click", function () {
        sort = { column: name, dir: sort.column === name ? -sort.dir : 1 };
        thead.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
        pageIndex = 0;
        order();
      });
      tr.appendChild(th);
    });
    thead.textContent = "";
    thead.appendChild(tr);
    return true;
  }
  function fill(entry) {
    var tr = entry.tr;
    tr.textContent = "";
    columns.names.forEach(function (name) {
      var v = entry.row.cells[name];
      var td = el("td", { text: fmt(v) });
      if (typeof v === "number") td.className = "num";
      if (name === "trialStatus") td.dataset.status = String(v);
      if (typeof v === "string" && v.length > 40) td.title = v;
      tr.appendChild(td);
    });
    entry.dirty = false;
  }
  function compare(a, b) {
    var x = a.row.cells[sort.column], y = b.row.cells[sort.column];
    var nx = x === null || x === undefined, ny = y === null || y === undefined;
    if (nx || ny) return nx && ny ? 0 : nx ? 1 : -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * sort.dir;
    return String(x).localeCompare(String(y)) * sort.dir;
  }
  function order() {
    sorted = Array.from(rows.values()).sort(function (a, b) {
      return compare(a, b) || (a.row.cells.trialIndex - b.row.cells.trialIndex) * sort.dir;
    });
    render();
  }
  function render() {
    var pages = Math.max(1, Math.ceil(sorted.length / PAGE));
    pageIndex = Math.min(Math.max(pageIndex, 0), pages - 1);
    var start = pageIndex * PAGE;
    var shown = sorted.slice(start, start + PAGE);
    var frag = document.createDocumentFragment();
    shown.forEach(function (e) {
      if (e.dirty) fill(e);
      if (e.flash) { e.tr.classList.remove("flash"); void e.tr.offsetWidth; e.tr.classList.add("flash"); e.flash = false; }
      frag.appendChild(e.tr);
    });
    tbody.textContent = "";
    tbody.appendChild(frag);
    info.textContent = sorted.length === 0 ? "no trials yet"
      : "rows " + (start + 1) + "-" + (start + shown.length) + " of " + sorted.length;
    prev.disabled = pageIndex === 0;
    next.disabled = pageIndex >= pages - 1;
  }
  return {
    update: function (nextColumns, changed, flash) {
      var all = setColumns(nextColumns);
      changed.forEach(function (row) {
        var entry = rows.get(row.key);
        if (!entry) {
          entry = { row: row, tr: el("tr", { "data-key": row.key }) };
          rows.set(row.key, entry);
        } else entry.row = row;
        entry.dirty = true;
        entry.flash = flash;
      });
      if (all) rows.forEach(function (e) { e.dirty = true; });
      order();
    },
  };
}

function summaryCards(container) {
  return function (summary, storage) {
    container.textContent = "";
    var cards = [
      ["trials", String(summary.trials)],
      ["by status", statusText(summary.byStatus) || "none"],
      ["objectives", summary.objectives.map(function (o) { return (o.minimize ? "min " : "max ") + o.metric; }).join(", ") || "none"],
      ["best", bestText(summary)],
      ["last change", summary.lastUpdated.replace("T", " ").replace(/[.][0-9]+Z$/, "Z")],
    ];
    cards.forEach(function (c) {
      container.appendChild(el("div", { className: "card", "data-card": c[0] }, [el("div", { className: "label", text: c[0] }), el("div", { className: "value", text: c[1] })]));
    });
  };
}

function chartsNote(charts) {
  if (charts.status === "failed") return "The charts could not be computed: " + charts.error;
  if (charts.status === "pending") return "The model views and other charts are being computed in the background.";
  return "";
}

function experimentPage(name) {
  document.title = name + " - Ascent dashboard";
  main.appendChild(el("h1", { id: "title", text: name }));
  var cards = el("div", { className: "cards", id: "summary" });
  var trace = el("div", { className: "charts", id: "trace" });
  var chartsNoteEl = el("p", { className: "note", id: "charts-note" });
  var more = el("div", { className: "charts", id: "charts" });
  var tableHolder = el("div");
  [cards, el("h2", { text: "Optimization trace" }), trace, el("h2", { text: "Trials" }), tableHolder,
    el("h2", { text: "Model views and more charts" }), chartsNoteEl, more].forEach(function (n) { main.appendChild(n); });
  var showSummary = summaryCards(cards);
  var showTrace = chartGroup(trace, "trace");
  var showMore = throttled(chartGroup(more, "charts", true));
  var updateTrace = throttled(showTrace);
  var chartsShown = -1, chartsWanted = 0, fetching = false;
  /* The other charts weigh megabytes for large experiments: fetched apart, one fetch at a time. */
  function fetchCharts() {
    if (fetching || chartsShown >= chartsWanted) return;
    fetching = true;
    getJson(apiUrl(name) + "/charts").then(function (c) {
      fetching = false;
      chartsNoteEl.textContent = chartsNote(c);
      if (c.version > chartsShown) {
        chartsShown = c.version;
        if (c.status !== "pending") showMore(c.charts);
      }
      fetchCharts();
    }, function (e) { fetching = false; setError("The charts cannot be read: " + e.message); });
  }
  function chartsChanged(status) {
    chartsNoteEl.textContent = chartsNote(status);
    chartsWanted = Math.max(chartsWanted, status.version);
    fetchCharts();
  }
  var table = trialsTable(tableHolder);
  function show(state) {
    showSummary(state.summary);
    table.update(state.columns, state.rows, false);
    document.body.dataset.trials = "ready";
    setError(state.error);
    chartsNoteEl.textContent = chartsNote(state.charts);
    showTrace(state.trace).then(function () {
      // The first frame painted after this one has the table and the trace on screen; the other
      // charts and the live updates start then, so that they do not compete with the first paint.
      requestAnimationFrame(function () {
        setTimeout(function () {
          document.body.dataset.loadedMs = String(Math.round(performance.now()));
          chartsChanged(state.charts);
          listen(state.version);
        }, 0);
      });
    });
  }
  // The server inlines the experiment's state in the page; the API is the fallback.
  var inline = document.getElementById("state");
  if (inline) {
    var state = JSON.parse(inline.textContent);
    // The inlined rows are packed (see the server's pageStateJson); the API's are not.
    state.rows = unpackJson(state.rows);
    show(state);
  }
  else getJson(apiUrl(name)).then(show, function (e) { setError("The experiment cannot be read: " + e.message); });
  function listen(version) {
    var source = new EventSource(apiUrl(name) + "/events?since=" + version);
    source.onopen = function () { setLive("live", "live"); };
    source.onerror = function () { setLive("down", "reconnecting"); };
    source.addEventListener("trials", function (m) {
      var d = JSON.parse(m.data);
      showSummary(d.summary);
      table.update(d.columns, d.rows, true);
      document.body.dataset.version = String(d.version);
    });
    source.addEventListener("trace", function (m) { updateTrace(JSON.parse(m.data).charts); });
    source.addEventListener("charts", function (m) { chartsChanged(JSON.parse(m.data).charts); });
    source.addEventListener("failure", function (m) { setError(JSON.parse(m.data).error); });
  }
}

if (boot.page === "list") listPage();
else if (boot.page === "experiment") experimentPage(boot.name);
else {
  document.title = "Not found - Ascent dashboard";
  main.appendChild(el("h1", { text: "No such experiment" }));
  main.appendChild(el("p", null, [document.createTextNode("The store holds no experiment named "), el("code", { id: "missing", text: boot.name }), document.createTextNode(". ")]));
  main.appendChild(el("p", null, [el("a", { href: "/", text: "See the stored experiments" })]));
}
})();
`;
