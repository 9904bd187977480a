// sitroom situation room: a small single-page app over the JSON API.
// Safety rule for this file: article text and every stored value are untrusted. They reach the
// page only through textContent, element properties and attribute setters; never innerHTML.
"use strict";

(function () {
  // ---- palette: one colour per ACLED event type and per figure category ----------------------
  const COLORS = {
    "event:Battles": "#d62728",
    "event:Explosions/Remote violence": "#ff7f0e",
    "event:Violence against civilians": "#9467bd",
    "event:Protests": "#2ca02c",
    "event:Riots": "#8c564b",
    "event:Strategic developments": "#1f77b4",
    "figure:killed": "#7f0000",
    "figure:injured": "#e377c2",
    "figure:displaced": "#17becf",
    "figure:trapped": "#bcbd22",
    "figure:at_risk": "#aec7e8",
    "figure:detained": "#636363",
    "figure:missing": "#c49c94",
    "figure:combatants": "#393b79",
    "figure:population": "#9edae5",
    "figure:affected": "#dbdb8d",
  };
  const colorOf = (key) => COLORS[key] || "#888888";

  // ---- small DOM helpers (text only) ------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const $ = (id) => document.getElementById(id);
  const clear = (node) => { while (node.firstChild) node.removeChild(node.firstChild); return node; };
  const fmt = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : "?");

  function bounds(low, best, high) {
    if (low == null && best == null && high == null) return "";
    if (low === best && best === high) return fmt(best);
    let text;
    if (low == null && high == null) return "~" + fmt(best);
    if (low == null) text = "≤" + fmt(high);
    else if (high == null) text = "≥" + fmt(low);
    else text = fmt(low) + "–" + fmt(high);
    return best != null ? text + " (best " + fmt(best) + ")" : text;
  }

  // Only http(s) links are ever made clickable: "javascript:" and friends stay text.
  function safeLink(url, label) {
    if (typeof url === "string" && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank", text: label || url });
    }
    return document.createTextNode(url ? String(url) : "");
  }

  // ---- API ---------------------------------------------------------------------------------------
  const token = () => sessionStorage.getItem("sitroom-token") || "";

  async function api(path, params, options) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== null && value !== undefined && value !== "") query.set(key, String(value));
    }
    const url = "/api/" + path + (query.toString() ? "?" + query : "");
    const headers = Object.assign({ Accept: "application/json" }, (options && options.headers) || {});
    if (token()) headers.Authorization = "Bearer " + token();
    const response = await fetch(url, Object.assign({}, options || {}, { headers }));
    let body = null;
    try { body = await response.json(); } catch (_) { body = null; }
    if (!response.ok) {
      let message = body && body.error ? body.error.message : response.status + " " + response.statusText;
      if (response.status === 401 && !(options && options.method === "POST")) message += " (enter it on the Add page)";
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function status(message, isError) {
    const node = $("status");
    node.textContent = message || "";
    node.className = isError ? "error" : "";
  }

  // ---- shared filters (date range, type, country, actor, source, layer) ---------------------------
  const FILTER_KEYS = ["since", "until", "type", "country", "actor", "source", "layer"];
  const state = { since: "", until: "", type: "", country: "", actor: "", source: "", layer: "all" };

  function loadFilters() {
    try {
      Object.assign(state, JSON.parse(sessionStorage.getItem("sitroom-filters") || "{}"));
    } catch (_) { /* keep defaults */ }
    for (const key of FILTER_KEYS) $("f-" + key).value = state[key] || (key === "layer" ? "all" : "");
  }

  function filterParams(kind) {
    const p = { since: state.since, until: state.until, country: state.country, actor: state.actor,
      source: state.source };
    // The type drop-down holds "event:Battles" or "figure:killed": it applies to its own kind.
    if (state.type) {
      const [k, value] = state.type.split(/:(.*)/s);
      if (!kind || (kind === "events" && k === "event") || (kind === "figures" && k === "figure")) p.type = value;
      else if (kind) p.type = "\u0000none"; // a type of the other kind: nothing of this kind matches
    }
    return p;
  }

  function layerKinds() {
    if (state.type) return state.type.startsWith("event:") ? "events" : "figures";
    return state.layer || "all";
  }

  let filterTimer = null;
  function onFiltersChanged() {
    for (const key of FILTER_KEYS) state[key] = $("f-" + key).value;
    sessionStorage.setItem("sitroom-filters", JSON.stringify(state));
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => { tablePage.offset = 0; linkedPage.offset = 0; route(); }, 250);
  }

  function fillOptions(stats) {
    const typeSelect = $("f-type");
    const countrySelect = $("f-country");
    const chosenType = state.type;
    const chosenCountry = state.country;
    clear(typeSelect).append(el("option", { value: "", text: "any" }));
    const events = el("optgroup", { label: "Event types" });
    for (const t of stats.options.types) events.append(el("option", { value: "event:" + t, text: t }));
    const figures = el("optgroup", { label: "Figure categories" });
    for (const c of stats.options.categories) figures.append(el("option", { value: "figure:" + c, text: c }));
    typeSelect.append(events, figures);
    clear(countrySelect).append(el("option", { value: "", text: "any" }));
    for (const c of stats.options.countries) countrySelect.append(el("option", { value: c, text: c }));
    typeSelect.value = chosenType;
    countrySelect.value = chosenCountry;
  }

  async function refreshStats() {
    try {
      const stats = await api("stats");
      fillOptions(stats);
      $("stats").textContent = fmt(stats.documents) + " documents · " + fmt(stats.facts.events) + " events · "
        + fmt(stats.facts.figures) + " figures";
    } catch (error) {
      status(error.message, true);
    }
  }

  // ---- tooltip -----------------------------------------------------------------------------------
  function showTip(target, rows) {
    const tip = $("tip");
    clear(tip);
    const dl = el("dl");
    for (const [key, value] of rows) {
      if (value === null || value === undefined || value === "") continue;
      dl.append(el("dt", { text: key }), el("dd", { text: value }));
    }
    tip.append(dl);
    tip.hidden = false;
    const box = target.getBoundingClientRect();
    tip.style.left = Math.min(window.innerWidth - 340, Math.max(4, box.left + window.scrollX)) + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
  }
  const hideTip = () => { $("tip").hidden = true; };

  // ---- map ---------------------------------------------------------------------------------------
  let map = null;
  let markers = null;
  let linkedLayer = null; // optional overlay: one ring per linked event reported by 2+ sources
  let linkedRenderer = null;
  let mapRequest = 0;

  function initMap() {
    if (map) return;
    map = L.map("map", { minZoom: 2, maxZoom: 12, worldCopyJump: false, zoomSnap: 1,
      maxBounds: [[-85, -240], [85, 240]] });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Country outlines: Natural Earth");
    map.setView([30, 30], 3);
    markers = L.layerGroup().addTo(map);
    map.createPane("linked"); // above the markers (.leaflet-linked-pane in app.css)
    linkedRenderer = L.svg({ pane: "linked" });
    linkedLayer = L.layerGroup();
    L.control.layers(null, { "Linked events (2+ sources)": linkedLayer }, { collapsed: false }).addTo(map);
    if (sessionStorage.getItem("sitroom-linked-layer") === "on") linkedLayer.addTo(map);
    map.on("overlayadd overlayremove", (e) => {
      if (e.layer !== linkedLayer) return;
      sessionStorage.setItem("sitroom-linked-layer", e.type === "overlayadd" ? "on" : "off");
      linkedLayer.clearLayers();
      loadMap();
    });
    fetch("/static/vendor/countries-50m.geojson").then((r) => r.json()).then((geo) => {
      L.geoJSON(geo, { interactive: false, style: { color: "#8a8f98", weight: 0.6, fillColor: "#e9e4d8",
        fillOpacity: 1 } }).addTo(map).bringToBack();
    }).catch(() => status("basemap could not be loaded", true));
    map.on("moveend", () => loadMap());
    buildLegend($("legend"), Object.keys(COLORS));
  }

  function buildLegend(node, keys) {
    clear(node);
    for (const key of keys) {
      node.append(el("span", { class: "key" }, swatch(colorOf(key)), key.replace(/^(event|figure):/, "")));
    }
  }
  function swatch(color) {
    const s = el("span", { class: "swatch" });
    s.style.background = color;
    return s;
  }

  function bboxParam() {
    const b = map.getBounds();
    const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
    return [clamp(b.getSouth(), -90, 90), clamp(b.getWest(), -360, 360), clamp(b.getNorth(), -90, 90),
      clamp(b.getEast(), -360, 360)].map((v) => v.toFixed(4)).join(",");
  }

  async function loadMap() {
    if (!map || current !== "map") return;
    const ticket = ++mapRequest;
    let data;
    try {
      data = await api("map", Object.assign(filterParams(), { layer: layerKinds(), zoom: map.getZoom(),
        bbox: bboxParam() }));
    } catch (error) {
      status(error.message, true);
      return;
    }
    if (ticket !== mapRequest) return; // a newer request is on its way
    markers.clearLayers();
    for (const cell of data.cells) markers.addLayer(cellMarker(cell));
    status(fmt(data.total) + " facts on the map in view");
    if (map.hasLayer(linkedLayer)) loadLinkedMarkers(ticket, data.total);
  }

  async function loadLinkedMarkers(ticket, facts) {
    let data;
    try {
      data = await api("linked", Object.assign(filterParams("events"), { min_sources: 2, bbox: bboxParam(),
        sort: "best", order: "desc", limit: 500 }));
    } catch (error) {
      status(error.message, true);
      return;
    }
    if (ticket !== mapRequest) return;
    linkedLayer.clearLayers();
    for (const le of data.items) if (le.lat != null && le.lon != null) linkedLayer.addLayer(linkedMarker(le));
    status(fmt(facts) + " facts on the map in view · " + fmt(data.total) + (data.total === 1 ? " linked event" : " linked events")
      + (data.total > data.items.length ? " (the " + data.items.length + " deadliest shown)" : ""));
  }

  function linkedMarker(le) {
    // A hollow ring in a pane above the fact markers: only its stroke takes clicks, so the fact
    // marker under its middle stays clickable. Radius grows with the combined best toll (log scale).
    const radius = Math.min(30, Math.round(11 + 4 * Math.log10(1 + (le.best || 0))));
    const label = (le.place || "?") + ": linked event, " + le.number_of_sources + " sources"
      + (le.best != null ? ", " + tollRange(le.low, le.best, le.high) + " killed" : "");
    const ring = L.circleMarker([le.lat, le.lon], { renderer: linkedRenderer, radius, fill: false, weight: 4,
      color: "#1d2330", opacity: 0.9, className: "linked-ring" });
    // Tooltip content as a node: Leaflet would parse a string as HTML.
    ring.bindTooltip(el("span", { text: label }), { direction: "top" });
    ring.on("click", () => { location.hash = "#/linked/" + encodeURIComponent(le.id); });
    return ring;
  }

  function cellMarker(cell) {
    // Area grows with casualties (log scale: 850,000 must not cover a country).
    // Capped: neighbouring cells are ~48 px apart and must stay apart.
    const size = Math.min(52, Math.round(14 + 5 * Math.log10(1 + (cell.casualties || 0)) + (cell.count > 1 ? 6 : 0)));
    const dot = el("div", { class: "dot" + (cell.count > 1 ? " cluster" : "") });
    dot.style.width = dot.style.height = size + "px";
    // Clusters show their mix of types as a pie; a single item its own colour.
    const entries = Object.entries(cell.types);
    if (entries.length > 1) {
      let at = 0;
      const stops = [];
      for (const [key, n] of entries) {
        const to = at + (360 * n) / cell.count;
        stops.push(colorOf(key) + " " + at.toFixed(1) + "deg " + to.toFixed(1) + "deg");
        at = to;
      }
      dot.style.background = "conic-gradient(" + stops.join(", ") + ")";
    } else {
      dot.style.background = colorOf(cell.top);
    }
    if (cell.count > 1) dot.append(el("span", { text: cell.count }));
    const label = (cell.place || "?") + ": " + cell.count + (cell.count === 1 ? " item" : " items")
      + (cell.casualties ? ", " + fmt(cell.casualties) + " casualties" : "");
    const marker = L.marker([cell.lat, cell.lon], {
      icon: L.divIcon({ html: dot, className: "cell", iconSize: [size, size] }),
      title: label, alt: label, keyboard: true, riseOnHover: true,
    });
    marker.on("click", () => openCell(cell));
    return marker;
  }

  async function openCell(cell) {
    const panel = clear($("detail"));
    panel.append(el("h3", { text: (cell.place || "Here") + " · " + cell.count + (cell.count === 1 ? " fact" : " facts") }));
    if (cell.count > 1 && map.getZoom() < 10) {
      panel.append(el("button", { type: "button", class: "small", text: "Zoom in here",
        onclick: () => map.fitBounds([[cell.bounds[0], cell.bounds[1]], [cell.bounds[2], cell.bounds[3]]]) }));
    }
    try {
      const data = await api("map/items", Object.assign(filterParams(), { layer: layerKinds(),
        bbox: cell.bounds.map((v) => v.toFixed(6)).join(","), limit: 100 }));
      const list = el("ul", { class: "cards" });
      for (const item of data.items) list.append(factCard(item));
      panel.append(list);
      if (data.total > data.items.length) panel.append(el("p", { class: "hint",
        text: "Showing " + data.items.length + " of " + fmt(data.total) + "; zoom in or narrow the filters." }));
    } catch (error) {
      panel.append(el("p", { class: "error", text: error.message }));
    }
  }

  function factCard(item) {
    const isEvent = item.kind === "event";
    const key = (isEvent ? "event:" : "figure:") + (isEvent ? item.type : item.category);
    const head = isEvent
      ? item.type + (item.sub_type ? " / " + item.sub_type : "")
      : item.category + (item.who ? " (" + item.who + ")" : "") + ": " + bounds(item.low, item.best, item.high);
    const card = el("li", { class: "card fact", "data-kind": item.kind, "data-id": item.id });
    card.append(el("div", { class: "card-head" }, swatch(colorOf(key)), el("strong", { text: head })));
    const facts = el("dl", { class: "fields" });
    const add = (k, v) => { if (v !== null && v !== undefined && v !== "") facts.append(el("dt", { text: k }), el("dd", { text: v })); };
    add("date", item.date || item.published);
    add("place", [item.place, item.admin1, item.country].filter(Boolean).join(", "));
    if (isEvent) {
      add("actors", [item.actor1, item.actor2].filter(Boolean).join(" vs "));
      add("fatalities", bounds(item.fatalities_low, item.fatalities_best, item.fatalities_high));
      add("injured", bounds(item.injured_low, item.injured_best, item.injured_high));
      add("source", item.source);
    } else {
      add("source", item.source_name ? item.source_name + (item.source_cue ? " (" + item.source_cue + ")" : "") : "");
      add("perpetrators", (item.perpetrators || []).join(", "));
    }
    add("outlet", item.outlet);
    card.append(facts);
    card.append(el("blockquote", { class: "evidence", text: item.evidence_text }));
    card.append(el("a", { class: "doc-link", href: docHref(item.doc_id, item.id),
      text: "Open in document: " + (item.doc_title || item.doc_id) }));
    return card;
  }

  const docHref = (docId, factId) => "#/doc/" + encodeURIComponent(docId) + (factId ? "?hl=" + encodeURIComponent(factId) : "");

  // ---- timeline ----------------------------------------------------------------------------------
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }
  const dayNumber = (d) => Math.floor(Date.parse(d + "T00:00:00Z") / 86400000);
  const dayString = (n) => new Date(n * 86400000).toISOString().slice(0, 10);

  async function loadTimeline() {
    const layer = layerKinds() === "figures" ? "figures" : "events";
    const chart = clear($("timeline-chart"));
    let data;
    try {
      data = await api("timeline", Object.assign(filterParams(layer), { layer }));
    } catch (error) {
      chart.append(el("p", { class: "error", text: error.message }));
      return;
    }
    if (!data.days.length) {
      chart.append(el("p", { class: "hint", text: "No dated " + layer + " under these filters." }));
      return;
    }
    const first = dayNumber(data.days[0].day) - 1;
    const last = dayNumber(data.days[data.days.length - 1].day) + 1;
    const span = Math.max(1, last - first + 1);
    const width = Math.max(600, chart.clientWidth || 900);
    const height = 260;
    const pad = { left: 40, right: 10, top: 10, bottom: 30 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const maxCount = Math.max(...data.days.map((d) => Object.values(d.counts).reduce((a, b) => a + b, 0)));
    const x = (n) => pad.left + ((n - first) / span) * plotW;
    const barW = Math.max(2, plotW / span - (plotW / span > 3 ? 1 : 0));
    const root = svg("svg", { width, height, role: "img", "aria-label": "Events per day by type" });
    const prefix = layer === "events" ? "event:" : "figure:";
    const seen = new Set();
    for (const d of data.days) {
      let y = pad.top + plotH;
      for (const [label, n] of Object.entries(d.counts)) {
        const h = (n / maxCount) * plotH;
        y -= h;
        seen.add(prefix + label);
        const rect = svg("rect", { x: x(dayNumber(d.day)), y, width: barW, height: Math.max(h, 0.5),
          fill: colorOf(prefix + label), class: "bar" });
        const title = svg("title");
        title.textContent = d.day + " · " + label + ": " + n;
        rect.append(title);
        root.append(rect);
      }
    }
    // Axis: a handful of date labels and the maximum count.
    root.append(svg("line", { x1: pad.left, x2: pad.left + plotW, y1: pad.top + plotH, y2: pad.top + plotH, class: "axis" }));
    const ticks = Math.min(8, span);
    for (let i = 0; i <= ticks; i++) {
      const n = Math.round(first + (i * (span - 1)) / ticks);
      const anchor = i === 0 ? "start" : i === ticks ? "end" : "middle";
      const t = svg("text", { x: x(n), y: height - 10, class: "tick", "text-anchor": anchor });
      t.textContent = dayString(n);
      root.append(t);
    }
    const maxLabel = svg("text", { x: pad.left - 6, y: pad.top + 10, class: "tick", "text-anchor": "end" });
    maxLabel.textContent = String(maxCount);
    root.append(maxLabel);
    // The chosen range, and a drag-to-choose brush.
    const shade = svg("rect", { y: pad.top, height: plotH, class: "selection" });
    root.append(shade);
    const showRange = () => {
      const lo = state.since ? dayNumber(state.since) : first;
      const hi = state.until ? dayNumber(state.until) + 1 : last + 1;
      const a = x(Math.max(first, lo));
      const b = x(Math.min(last + 1, hi));
      shade.setAttribute("x", a);
      shade.setAttribute("width", Math.max(0, b - a));
      shade.style.display = state.since || state.until ? "" : "none";
      $("timeline-range").textContent = (state.since || state.until)
        ? "Range: " + (state.since || "…") + " to " + (state.until || "…") : "All dates";
    };
    showRange();
    const toDay = (clientX) => {
      const box = root.getBoundingClientRect();
      const n = first + ((clientX - box.left - pad.left) / plotW) * span;
      return Math.max(first, Math.min(last, Math.floor(n)));
    };
    let dragFrom = null;
    root.addEventListener("mousedown", (e) => { dragFrom = toDay(e.clientX); e.preventDefault(); });
    root.addEventListener("mousemove", (e) => {
      if (dragFrom === null) return;
      const to = toDay(e.clientX);
      const a = x(Math.min(dragFrom, to));
      shade.style.display = "";
      shade.setAttribute("x", a);
      shade.setAttribute("width", x(Math.max(dragFrom, to) + 1) - a);
    });
    root.addEventListener("mouseup", (e) => {
      if (dragFrom === null) return;
      const to = toDay(e.clientX);
      $("f-since").value = dayString(Math.min(dragFrom, to));
      $("f-until").value = dayString(Math.max(dragFrom, to));
      dragFrom = null;
      onFiltersChanged();
    });
    root.addEventListener("mouseleave", () => { dragFrom = null; showRange(); });
    chart.append(root);
    buildLegend($("timeline-legend"), [...seen]);
  }

  // ---- table -------------------------------------------------------------------------------------
  const COLUMNS = {
    events: [
      ["date", "date", (r) => r.date || r.published],
      ["type", "type", (r) => r.type + (r.sub_type ? " / " + r.sub_type : "")],
      ["actor1", "actor 1", (r) => r.actor1],
      ["actor2", "actor 2", (r) => r.actor2],
      ["place", "place", (r) => [r.place, r.country].filter(Boolean).join(", ")],
      ["fatalities", "fatalities", (r) => bounds(r.fatalities_low, r.fatalities_best, r.fatalities_high)],
      ["source", "source", (r) => r.source || r.outlet],
      [null, "evidence", (r) => r.evidence_text],
    ],
    figures: [
      ["date", "date", (r) => r.date || r.published],
      ["category", "category", (r) => r.category + (r.who ? " (" + r.who + ")" : "")],
      ["best", "bounds", (r) => bounds(r.low, r.best, r.high)],
      ["place", "place", (r) => [r.place, r.country].filter(Boolean).join(", ")],
      ["source", "source", (r) => (r.source_name ? r.source_name + (r.source_cue ? " (" + r.source_cue + ")" : "") : "")],
      [null, "evidence", (r) => r.evidence_text],
    ],
  };
  const tablePage = { kind: "events", sort: "date", order: "desc", offset: 0, limit: 50 };

  async function loadTable() {
    const kind = tablePage.kind;
    for (const tab of document.querySelectorAll(".tab")) tab.classList.toggle("active", tab.dataset.kind === kind);
    const params = Object.assign(filterParams(kind), { sort: tablePage.sort, order: tablePage.order });
    $("csv").href = "/api/" + kind + ".csv?" + new URLSearchParams(Object.entries(params).filter(([, v]) => v));
    let data;
    try {
      data = await api(kind, Object.assign({}, params, { offset: tablePage.offset, limit: tablePage.limit }));
    } catch (error) {
      status(error.message, true);
      return;
    }
    const head = clear(document.querySelector("#grid thead"));
    const row = el("tr");
    for (const [sort, label] of COLUMNS[kind]) {
      const th = el("th", { scope: "col" });
      if (sort) {
        const arrow = tablePage.sort === sort ? (tablePage.order === "asc" ? " ▲" : " ▼") : "";
        th.append(el("button", { type: "button", class: "sort", text: label + arrow, onclick: () => {
          tablePage.order = tablePage.sort === sort && tablePage.order === "desc" ? "asc" : "desc";
          tablePage.sort = sort;
          tablePage.offset = 0;
          loadTable();
        } }));
        th.setAttribute("aria-sort", tablePage.sort === sort ? (tablePage.order === "asc" ? "ascending" : "descending") : "none");
      } else {
        th.textContent = label;
      }
      row.append(th);
    }
    row.append(el("th", { text: "document" }));
    head.append(row);
    const body = clear(document.querySelector("#grid tbody"));
    for (const r of data.items) {
      const tr = el("tr");
      for (const [, , value] of COLUMNS[kind]) tr.append(el("td", { text: value(r) || "" }));
      tr.append(el("td", {}, el("a", { href: docHref(r.doc_id, r.id), text: r.doc_id })));
      body.append(tr);
    }
    const end = data.offset + data.items.length;
    $("page-info").textContent = data.total ? (data.offset + 1) + "–" + end + " of " + fmt(data.total) : "no rows";
    $("prev").disabled = data.offset === 0;
    $("next").disabled = end >= data.total;
  }

  // ---- linked events: one real event, every report of it, the range of tolls and the disagreements ----
  const LINKED_COLUMNS = [
    ["date", "date", (r) => r.date || r.first_report],
    ["type", "type", (r) => (r.type || "") + (r.sub_type ? " / " + r.sub_type : "")],
    ["place", "place", (r) => [r.place, r.country].filter(Boolean).join(", ")],
    ["number_of_sources", "sources", (r) => r.number_of_sources, "num"],
    [null, "outlets", (r) => (r.sources || []).join(", ")],
    ["best", "fatalities", (r) => tollRange(r.low, r.best, r.high)],
  ];
  const linkedPage = { sort: "date", order: "desc", offset: 0, limit: 50, selected: null };

  // "12–15 (best 12)": the combined range always shows its best, even when all agree.
  function tollRange(low, best, high) {
    if (low == null && best == null && high == null) return "";
    if (low === high && low === best) return fmt(best);
    return bounds(low, best, high);
  }

  function linkedParams() {
    return Object.assign(filterParams("events"), { min_sources: $("linked-min").value,
      sort: linkedPage.sort, order: linkedPage.order });
  }

  async function loadLinked(openId) {
    const params = linkedParams();
    $("linked-csv").href = "/api/linked.csv?" + new URLSearchParams(Object.entries(params).filter(([, v]) => v));
    let data;
    try {
      data = await api("linked", Object.assign({}, params, { offset: linkedPage.offset, limit: linkedPage.limit }));
    } catch (error) {
      status(error.message, true);
      return;
    }
    const head = clear(document.querySelector("#linked-grid thead"));
    const row = el("tr");
    for (const [sort, label] of LINKED_COLUMNS) {
      const th = el("th", { scope: "col" });
      if (sort) {
        const arrow = linkedPage.sort === sort ? (linkedPage.order === "asc" ? " ▲" : " ▼") : "";
        th.append(el("button", { type: "button", class: "sort", text: label + arrow, onclick: () => {
          linkedPage.order = linkedPage.sort === sort && linkedPage.order === "desc" ? "asc" : "desc";
          linkedPage.sort = sort;
          linkedPage.offset = 0;
          loadLinked();
        } }));
        th.setAttribute("aria-sort", linkedPage.sort === sort ? (linkedPage.order === "asc" ? "ascending" : "descending") : "none");
      } else {
        th.textContent = label;
      }
      row.append(th);
    }
    head.append(row);
    const body = clear(document.querySelector("#linked-grid tbody"));
    for (const r of data.items) {
      const tr = el("tr", { tabindex: 0, "data-id": r.id, class: r.id === linkedPage.selected ? "selected" : null,
        onclick: () => selectLinked(r.id),
        onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectLinked(r.id); } } });
      for (const [, , value, cls] of LINKED_COLUMNS) tr.append(el("td", { class: cls, text: value(r) ?? "" }));
      body.append(tr);
    }
    const end = data.offset + data.items.length;
    $("linked-info").textContent = data.total ? (data.offset + 1) + "–" + end + " of " + fmt(data.total)
      : "no linked events (linking runs after ingest, or with 'sitroom link')";
    $("linked-prev").disabled = data.offset === 0;
    $("linked-next").disabled = end >= data.total;
    if (openId) openLinked(openId);
  }

  function selectLinked(id) {
    // The address names the open event (a link to share), without reloading the table.
    history.replaceState(null, "", "#/linked/" + encodeURIComponent(id));
    openLinked(id);
  }

  const tollOf = (m) => m.fatalities_best ?? m.fatalities_low ?? m.fatalities_high;
  const noToll = (m) => tollOf(m) == null || ((m.fatalities_low || 0) === 0 && (m.fatalities_best || 0) === 0
    && (m.fatalities_high || 0) === 0);

  async function openLinked(id) {
    linkedPage.selected = id;
    for (const tr of document.querySelectorAll("#linked-grid tbody tr")) tr.classList.toggle("selected", tr.dataset.id === id);
    const panel = clear($("linked-detail"));
    let le;
    try {
      le = await api("linked/" + encodeURIComponent(id));
    } catch (error) {
      panel.append(el("p", { class: "error", text: error.message }));
      return;
    }
    if (linkedPage.selected !== id) return; // another event was clicked meanwhile
    panel.append(el("h3", { text: (le.type || "Event") + (le.sub_type ? " / " + le.sub_type : "") }));
    const facts = el("dl", { class: "fields" });
    const add = (k, v) => { if (v !== null && v !== undefined && v !== "") facts.append(el("dt", { text: k }), el("dd", { text: v })); };
    add("date", le.date);
    add("place", [le.place, le.admin1, le.country].filter(Boolean).join(", "));
    add("actors", [le.actor1, le.actor2].filter(Boolean).join(", "));
    add("fatalities", tollRange(le.low, le.best, le.high));
    add("how combined", le.low != null ? le.rule : "");
    add("injured", tollRange(le.injured_low, le.injured_best, le.injured_high));
    add("sources", le.number_of_sources + ": " + (le.sources || []).join(", "));
    add("reported", le.first_report === le.last_report ? le.first_report
      : (le.first_report || "?") + " to " + (le.last_report || "?"));
    panel.append(facts);
    panel.append(el("h4", { text: "Reports (" + le.members.length + ")" }));
    const list = el("ul", { class: "cards", id: "linked-reports" });
    for (const m of le.members) list.append(reportCard(m, le.best));
    panel.append(list);
    panel.append(el("h4", { text: "Disagreements" }));
    if (!le.conflicts.length) {
      const differing = le.members.filter((m) => !noToll(m) && le.best != null && tollOf(m) !== le.best).length;
      panel.append(el("p", { class: "hint", text: differing
        ? differing + " report(s) give a toll other than the best; no figure pair was found to contradict."
        : "No conflicting figures among these reports." }));
    }
    for (const c of le.conflicts) panel.append(conflictBlock(c));
  }

  function reportCard(m, best) {
    const differs = best != null && !noToll(m) && tollOf(m) !== best;
    const card = el("li", { class: "card report" + (differs ? " differs" : ""), "data-doc": m.doc_id });
    const toll = el("span", { class: "toll" });
    if (noToll(m)) toll.append(el("span", { class: "none", text: "no toll" }));
    else toll.append(bounds(m.fatalities_low, m.fatalities_best, m.fatalities_high) + " killed");
    if (differs) toll.append(el("span", { class: "vs", text: "≠ best " + fmt(best) }));
    card.append(el("div", { class: "card-head" }, el("strong", { text: m.outlet || m.doc_id }),
      el("span", { class: "meta", text: m.published || "" }), toll));
    const meta = [m.date && m.date !== m.published ? "event date " + m.date : "", m.place,
      m.source ? "source: " + m.source : ""].filter(Boolean).join(" · ");
    if (meta) card.append(el("div", { class: "meta", text: meta }));
    card.append(el("blockquote", { class: "evidence", text: m.evidence_text }));
    card.append(el("a", { class: "doc-link", href: docHref(m.doc_id, m.event_id),
      text: "Open in document: " + (m.doc_title || m.doc_id) }));
    return card;
  }

  function conflictBlock(c) {
    const pair = el("div", { class: "pair" });
    for (const f of c.figures) {
      pair.append(el("div", { class: "card" },
        el("strong", { text: (f.outlet || f.doc_id) + ": " + (f.category || "?") + (f.who ? " (" + f.who + ")" : "")
          + " " + bounds(f.low, f.best, f.high) }),
        el("div", { class: "meta", text: [f.source_name ? "source: " + f.source_name : "no source",
          f.published, f.place].filter(Boolean).join(" · ") }),
        el("blockquote", { class: "evidence", text: f.evidence_text }),
        el("a", { class: "doc-link", href: docHref(f.doc_id, f.id), text: "in document " + (f.doc_title || f.doc_id) })));
    }
    const label = c.kind === "supersedes" ? "revision: the first replaces the second" : "contradiction";
    return el("section", { class: "contradiction" }, el("p", {}, el("span", { class: "scope", text: label }), " ", c.why), pair);
  }

  // ---- documents list ----------------------------------------------------------------------------
  const docPage = { offset: 0, limit: 50 };
  async function loadDocuments() {
    const list = clear($("doc-list"));
    try {
      const data = await api("documents", docPage);
      for (const d of data.items) {
        list.append(el("li", { class: "card" },
          el("a", { href: docHref(d.id), text: d.title || d.lead || d.id }),
          el("div", { class: "meta", text: [d.published, d.outlet, d.language, d.id].filter(Boolean).join(" · ") })));
      }
      const end = data.offset + data.items.length;
      $("doc-info").textContent = data.total ? (data.offset + 1) + "–" + end + " of " + fmt(data.total) : "no documents";
      $("doc-prev").disabled = data.offset === 0;
      $("doc-next").disabled = end >= data.total;
    } catch (error) {
      list.append(el("li", { class: "error", text: error.message }));
    }
  }

  // ---- document view: every fact highlighted in place ----------------------------------------------
  function factSpans(report) {
    const spans = [];
    const places = Object.fromEntries((report.places || []).map((p) => [p.id, p]));
    const actors = Object.fromEntries((report.actors || []).map((a) => [a.id, a]));
    for (const s of report.segments || []) {
      if (s.kind === "caption" || s.kind === "boilerplate") {
        spans.push({ start: s.start, end: s.end, kind: s.kind, rank: 0, tip: [["segment", s.kind], ["credit", s.credit]] });
      }
    }
    for (const e of report.events || []) {
      const f = e.fatalities || {};
      spans.push({ start: e.evidence.start, end: e.evidence.end, kind: "event", id: e.id, rank: 1, tip: [
        ["event", e.type + (e.sub_type ? " / " + e.sub_type : "")], ["date", e.date],
        ["place", places[e.place] ? places[e.place].name : e.place],
        ["actors", [e.actor1, e.actor2].filter(Boolean).map((a) => (actors[a] ? actors[a].name : a)).join(" vs ")],
        ["fatalities", bounds(f.low, f.best, f.high)], ["source", e.source]] });
    }
    for (const q of report.quotes || []) {
      const sp = q.speaker || {};
      spans.push({ start: q.evidence.start, end: q.evidence.end, kind: "quote", id: q.id, rank: 2, tip: [
        ["quote", q.direct ? "direct" : "indirect"], ["speaker", sp.name || "(unattributed)"], ["role", sp.role]] });
    }
    for (const f of report.figures || []) {
      const src = f.source || {};
      spans.push({ start: f.evidence.start, end: f.evidence.end, kind: "figure", id: f.id, rank: 3, tip: [
        ["figure", f.category], ["who", f.who], ["low", f.low], ["best", f.best], ["high", f.high],
        ["qualifier", f.qualifier], ["source", src.name ? src.name + (src.cue ? " (" + src.cue + ")" : "") : ""],
        ["place", places[f.place] ? places[f.place].name : f.place], ["date", f.date],
        ["perpetrators", (f.perpetrators || []).join(", ")]] });
    }
    for (const p of report.places || []) {
      for (const m of p.mentions || []) {
        spans.push({ start: m.start, end: m.end, kind: "place", id: p.id, rank: 4, tip: [
          ["place", p.name], ["country", p.country], ["admin1", p.admin1], ["feature", p.feature],
          ["lat, lon", p.lat != null ? p.lat + ", " + p.lon : ""], ["geonameid", p.geonameid]] });
      }
    }
    for (const a of report.actors || []) {
      for (const m of a.mentions || []) {
        spans.push({ start: m.start, end: m.end, kind: "actor", id: a.id, rank: 4, tip: [
          ["actor", a.name], ["type", a.type], ["country", a.country]] });
      }
    }
    for (const d of report.dates || []) {
      spans.push({ start: d.start, end: d.end, kind: "date", rank: 4, tip: [["date", d.value], ["precision", d.precision]] });
    }
    return spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.end > s.start);
  }

  // Nest spans into a tree (outer first); a span crossing its parent's end is clipped to it.
  function spanTree(text, spans) {
    spans.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
    const root = { start: 0, end: text.length, children: [] };
    const stack = [root];
    for (const span of spans) {
      while (stack.length > 1 && span.start >= stack[stack.length - 1].end) stack.pop();
      const parent = stack[stack.length - 1];
      const node = Object.assign({}, span, { end: Math.min(span.end, parent.end), children: [] });
      if (node.end <= node.start) continue;
      parent.children.push(node);
      stack.push(node);
    }
    return root;
  }

  function renderTree(text, node, into) {
    let at = node.start;
    for (const child of node.children) {
      if (child.start > at) into.append(document.createTextNode(text.slice(at, child.start)));
      const mark = el("span", { class: "hl hl-" + child.kind, "data-kind": child.kind, "data-id": child.id,
        tabindex: child.rank > 0 ? 0 : null });
      mark.sitroomTip = child.tip;
      renderTree(text, child, mark);
      into.append(mark);
      at = Math.max(at, child.end);
    }
    if (node.end > at) into.append(document.createTextNode(text.slice(at, node.end)));
  }

  async function loadDocument(docId, highlight) {
    const article = clear($("doc-text"));
    $("doc-title").textContent = "";
    $("doc-meta").textContent = "";
    let report;
    try {
      report = await api("documents/" + docId.split("/").map(encodeURIComponent).join("/"));
    } catch (error) {
      article.append(el("p", { class: "error", text: error.message }));
      return;
    }
    const doc = report.document || {};
    const titleSeg = (report.segments || []).find((s) => s.kind === "title");
    $("doc-title").textContent = doc.title || (titleSeg ? report.text.slice(titleSeg.start, titleSeg.end) : doc.id);
    const meta = $("doc-meta");
    meta.append([doc.published, doc.outlet, doc.language, doc.id].filter(Boolean).join(" · "));
    if (doc.url) meta.append(" · ", safeLink(doc.url));
    buildDocLegend(report);
    renderTree(report.text, spanTree(report.text, factSpans(report)), article);
    if (highlight) {
      const target = article.querySelector('[data-id="' + CSS.escape(highlight) + '"]');
      if (target) {
        target.classList.add("focus");
        target.scrollIntoView({ block: "center" });
      }
    }
  }

  function buildDocLegend(report) {
    const node = clear($("doc-legend"));
    const counts = [["figure", (report.figures || []).length], ["quote", (report.quotes || []).length],
      ["place", (report.places || []).length], ["actor", (report.actors || []).length],
      ["date", (report.dates || []).length], ["event", (report.events || []).length],
      ["caption", null], ["boilerplate", null]];
    for (const [kind, n] of counts) {
      node.append(el("span", { class: "key hl hl-" + kind, text: kind + (n !== null ? " " + n : "") }));
    }
  }

  // ---- contradictions ----------------------------------------------------------------------------
  async function loadContradictions() {
    const list = clear($("contra-list"));
    try {
      const data = await api("contradictions", { limit: 200 });
      if (!data.items.length) list.append(el("p", { class: "hint", text: "No contradictions stored." }));
      for (const c of data.items) {
        const pair = el("div", { class: "pair" });
        for (const f of c.figures) {
          pair.append(el("div", { class: "card" },
            el("strong", { text: (f.category || "?") + (f.who ? " (" + f.who + ")" : "") + ": " + bounds(f.low, f.best, f.high) }),
            el("div", { class: "meta", text: [f.source_name ? "source: " + f.source_name : "no source",
              f.outlet, f.date || f.published, f.place].filter(Boolean).join(" · ") }),
            el("blockquote", { class: "evidence", text: f.evidence_text }),
            el("a", { href: docHref(f.doc_id, f.id), text: "in document " + (f.doc_title || f.doc_id) })));
        }
        const scope = c.scope === "across" ? "across documents" : "within one document";
        list.append(el("section", { class: "contradiction" }, el("p", {},
          el("span", { class: "scope", text: scope }), " ", c.why), pair));
      }
    } catch (error) {
      list.append(el("p", { class: "error", text: error.message }));
    }
  }

  // ---- search ------------------------------------------------------------------------------------
  // FTS5 snippets mark hits with [ and ]: split on them and wrap hits in <mark> (as text).
  function snippet(text) {
    const out = el("span", { class: "snippet" });
    const parts = String(text || "").split(/(\[[^\]]*\])/);
    for (const part of parts) {
      if (part.startsWith("[") && part.endsWith("]")) out.append(el("mark", { text: part.slice(1, -1) }));
      else out.append(part);
    }
    return out;
  }

  async function runSearch(q) {
    const docs = clear($("search-docs"));
    const facts = clear($("search-facts"));
    if (!q) return;
    try {
      const data = await api("search", { q, limit: 50 });
      for (const d of data.documents) {
        docs.append(el("li", { class: "card" }, el("a", { href: docHref(d.id), text: d.title || d.id }),
          el("div", { class: "meta", text: [d.published, d.outlet].filter(Boolean).join(" · ") }), snippet(d.snippet)));
      }
      for (const f of data.facts) {
        facts.append(el("li", { class: "card" }, el("strong", { text: f.kind + (f.label ? ": " + f.label : "") }),
          el("blockquote", { class: "evidence", text: f.evidence_text }),
          el("a", { href: docHref(f.doc_id, f.id), text: "in document " + f.doc_id })));
      }
      if (!data.documents.length) docs.append(el("li", { class: "hint", text: "no documents match" }));
      if (!data.facts.length) facts.append(el("li", { class: "hint", text: "no facts match" }));
    } catch (error) {
      docs.append(el("li", { class: "error", text: error.message }));
    }
  }

  // ---- add ---------------------------------------------------------------------------------------
  async function submitDocument(event) {
    event.preventDefault();
    const result = clear($("add-result"));
    const typed = $("add-token").value.trim();
    if (typed) sessionStorage.setItem("sitroom-token", typed);
    const body = { text: $("add-text").value, format: $("add-html").checked ? "html" : "text" };
    if ($("add-title").value.trim()) body.title = $("add-title").value.trim();
    if ($("add-published").value) body.published = $("add-published").value;
    try {
      const data = await api("documents", null, { method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" } });
      result.append(el("p", { text: data.status + ": " + Object.entries(data.counts).map(([k, n]) => n + " " + k).join(", ") + " " }),
        el("a", { href: docHref(data.id), text: "open " + data.id }));
      for (const le of data.linked || []) {
        if (le.number_of_documents > 1) {
          result.append(el("p", {}, "Linked with other reports of the same event: ",
            el("a", { href: "#/linked/" + encodeURIComponent(le.id), text: le.number_of_sources + " sources, "
              + tollRange(le.low, le.best, le.high) + " killed" })));
        }
      }
      refreshStats();
    } catch (error) {
      result.append(el("p", { class: "error", text: error.message }));
    }
  }

  function readFile() {
    const file = $("add-file").files[0];
    if (!file) return;
    if (file.size > 3 * 1024 * 1024) { status("file too large (3 MB at most)", true); return; }
    const reader = new FileReader();
    reader.onload = () => {
      $("add-text").value = String(reader.result);
      $("add-html").checked = /\.html?$/i.test(file.name) || file.type === "text/html";
    };
    reader.readAsText(file);
  }

  // ---- routing -----------------------------------------------------------------------------------
  let current = null;
  const PAGES = ["map", "timeline", "table", "linked", "documents", "doc", "contradictions", "search", "add"];
  const FILTERED = new Set(["map", "timeline", "table", "linked"]);

  function route() {
    const hash = location.hash.replace(/^#\/?/, "") || "map";
    const [pathPart, queryPart] = hash.split("?");
    const [page, ...rest] = pathPart.split("/");
    const name = PAGES.includes(page) ? page : "map";
    const params = new URLSearchParams(queryPart || "");
    current = name;
    for (const p of PAGES) $("page-" + p).classList.toggle("active", p === name);
    for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.page === name);
    $("filters").hidden = !FILTERED.has(name);
    status("");
    hideTip();
    if (name === "map") {
      initMap();
      map.invalidateSize();
      loadMap();
    } else if (name === "timeline") loadTimeline();
    else if (name === "table") loadTable();
    else if (name === "linked") loadLinked(rest.length && rest[0] ? decodeURIComponent(rest.join("/")) : null);
    else if (name === "documents") loadDocuments();
    else if (name === "doc") loadDocument(rest.map(decodeURIComponent).join("/"), params.get("hl"));
    else if (name === "contradictions") loadContradictions();
    else if (name === "search") {
      const q = params.get("q") || "";
      $("search-q").value = q;
      runSearch(q);
    }
  }

  function wire() {
    $("filters").addEventListener("input", onFiltersChanged);
    $("filters").addEventListener("change", onFiltersChanged);
    $("filters").addEventListener("submit", (e) => e.preventDefault());
    $("f-reset").addEventListener("click", () => {
      for (const key of FILTER_KEYS) $("f-" + key).value = key === "layer" ? "all" : "";
      onFiltersChanged();
    });
    for (const tab of document.querySelectorAll(".tab")) {
      tab.addEventListener("click", () => {
        tablePage.kind = tab.dataset.kind;
        tablePage.sort = "date";
        tablePage.order = "desc";
        tablePage.offset = 0;
        loadTable();
      });
    }
    $("prev").addEventListener("click", () => { tablePage.offset = Math.max(0, tablePage.offset - tablePage.limit); loadTable(); });
    $("next").addEventListener("click", () => { tablePage.offset += tablePage.limit; loadTable(); });
    $("linked-prev").addEventListener("click", () => { linkedPage.offset = Math.max(0, linkedPage.offset - linkedPage.limit); loadLinked(); });
    $("linked-next").addEventListener("click", () => { linkedPage.offset += linkedPage.limit; loadLinked(); });
    $("linked-min").addEventListener("change", () => { linkedPage.offset = 0; loadLinked(); });
    $("doc-prev").addEventListener("click", () => { docPage.offset = Math.max(0, docPage.offset - docPage.limit); loadDocuments(); });
    $("doc-next").addEventListener("click", () => { docPage.offset += docPage.limit; loadDocuments(); });
    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      location.hash = "#/search?q=" + encodeURIComponent($("search-q").value.trim());
    });
    $("add-form").addEventListener("submit", submitDocument);
    $("add-file").addEventListener("change", readFile);
    $("add-token").value = token();
    const article = $("doc-text");
    const tipFor = (e) => {
      const target = e.target instanceof Element ? e.target.closest(".hl") : null;
      if (target && target.sitroomTip) showTip(target, target.sitroomTip); else hideTip();
    };
    article.addEventListener("mouseover", tipFor);
    article.addEventListener("focusin", tipFor);
    article.addEventListener("mouseleave", hideTip);
    window.addEventListener("hashchange", route);
  }

  loadFilters();
  wire();
  refreshStats();
  route();
})();
