/* kg graph viewer, inlined into graph.html after vis-network.
 *
 * Reads the graph from the JSON block #kg-data (written by kg/export/html.py) and builds the
 * network, legend and filters, search box, tooltips and the details panel. All data reaches the
 * DOM as text (textContent / append of strings); nothing here parses data as HTML, and links
 * are only made from http(s) URLs.
 *
 * Test hook: window.kgView = { ready, readyTime, error, network, select(id), search(text),
 *   domPosition(id), setTypeVisible(type, on), setRelationVisible(type, on),
 *   setPapersVisible(on), setPhysics(on), visibleNodeIds(), clusters(), expand(clusterId),
 *   setGrouped(on) }.
 */
(function () {
  "use strict";

  var kgView = { ready: false, readyTime: null, error: null, network: null };
  window.kgView = kgView;

  var loading = document.getElementById("kg-loading");

  function fail(err) {
    kgView.error = String(err && err.stack ? err.stack : err);
    if (loading) {
      loading.hidden = false;
      loading.textContent = "Could not draw the graph: " + String(err && err.message ? err.message : err);
    }
    if (window.console) console.error(err);
  }

  try {
    main();
  } catch (err) {
    fail(err);
  }

  function main() {
    var DATA = JSON.parse(document.getElementById("kg-data").textContent);
    var META = DATA.meta;
    var vis = window.vis;
    if (!vis || !vis.Network) throw new Error("vis-network did not load");

    // ------------------------------------------------------------------ helpers
    function h(tag, attrs) {
      var el = document.createElement(tag);
      if (attrs) {
        Object.keys(attrs).forEach(function (k) {
          var v = attrs[k];
          if (v === null || v === undefined || v === false) return;
          if (k === "class") el.className = v;
          else if (k === "text") el.textContent = String(v);
          else if (k === "style") Object.keys(v).forEach(function (p) { el.style[p] = v[p]; });
          else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
          else el.setAttribute(k, String(v));
        });
      }
      for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
      return el;
    }
    function append(el, child) {
      if (child === null || child === undefined || child === false) return;
      if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
      el.append(child instanceof Node ? child : String(child));  // strings become text nodes
    }
    function fmt(n) { return Number(n).toLocaleString("en-US"); }
    function plural(n, one, many) { return fmt(n) + " " + (n === 1 ? one : (many || one + "s")); }
    function safeUrl(u) { return typeof u === "string" && /^https?:\/\//i.test(u.trim()) ? u.trim() : null; }
    function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

    var TYPES = {};
    DATA.types.forEach(function (t) { TYPES[t.name] = t; });
    TYPES.Paper = DATA.paperType;
    var RELS = {};
    DATA.relations.forEach(function (r) { RELS[r.name] = r; });
    var VERBS = { evaluatedOn: "evaluated on", trainedOn: "trained on", basedOn: "based on",
                  variantOf: "variant of", measuredBy: "measured by" };
    var PAPERS_FIRST = 6;  // papers listed before "Show more"
    function verb(rel) { return has(VERBS, rel) ? VERBS[rel] : rel; }
    function typeOf(id) {
      if (has(DATA.entities, id)) return DATA.entities[id].type;
      if (has(DATA.paperDetails, id) || has(DATA.papers, id)) return "Paper";
      return has(DATA.labels, id) ? DATA.labels[id][1] : "Entity";
    }
    function labelOf(id) {
      if (has(DATA.entities, id)) return DATA.entities[id].name;
      if (has(DATA.papers, id)) return DATA.papers[id].title;
      return has(DATA.labels, id) ? DATA.labels[id][0] : String(id);
    }
    function badge(type) {
      var t = TYPES[type] || { color: "#BAB0AC", text: "#111111" };
      return h("span", { class: "kg-badge", text: type, style: { background: t.color, color: t.text } });
    }
    function swatch(type) {
      var t = TYPES[type] || { color: "#BAB0AC" };
      return h("span", { class: "kg-swatch" + (type === "Paper" ? " kg-square" : ""), style: { background: t.color } });
    }
    function lineSwatch(rel) {
      var r = RELS[rel] || { color: "#A0AEC0", dashes: false, width: 1 };
      var style = !r.dashes ? "solid" : (r.dashes[0] <= 2 ? "dotted" : "dashed");
      return h("span", { class: "kg-line", style: {
        width: "22px", height: "0", borderTop: Math.max(2, Math.round(r.width * 1.4)) + "px " + style + " " + r.color } });
    }

    // ------------------------------------------------------------------ network
    DATA.edges.forEach(function (e) {  // one style per relation type (see RELATION_STYLES)
      var r = RELS[e.rel] || { color: "#A0AEC0", dashes: [4, 4], width: 1 };
      e.color = { color: r.color, highlight: "#1A202C", hover: r.color };
      e.width = r.width;
      e.dashes = r.dashes;
      if (e.rel === "mentions") e.arrows = { to: { enabled: false } };
    });
    var paperIds = {};
    DATA.nodes.forEach(function (n) { if (n.group === "Paper") paperIds[n.id] = true; });
    DATA.edges.forEach(function (e) { if (paperIds[e.from] === true || paperIds[e.to] === true) e.paper = true; });
    var nodes = new vis.DataSet(DATA.nodes);
    var edges = new vis.DataSet(DATA.edges);
    var visibleTypes = {};
    DATA.types.forEach(function (t) { visibleTypes[t.name] = true; });
    var papersVisible = !!META.papersVisible;
    var visibleRels = {};
    DATA.relations.forEach(function (r) { visibleRels[r.name] = true; });
    var nodeView = new vis.DataView(nodes, { filter: function (n) {
      return n.group === "Paper" ? papersVisible : visibleTypes[n.group] !== false;
    } });
    // edges of hidden papers are filtered out too: vis-network would still build them
    var edgeView = new vis.DataView(edges, { filter: function (e) {
      return visibleRels[e.rel] !== false && (papersVisible || e.paper !== true);
    } });

    var container = document.getElementById("kg-network");
    var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, DATA.options);
    kgView.network = network;
    function fitAll(animate) {  // fit, with a margin for the labels vis-network does not count
      network.fit({ animation: false });
      network.moveTo({ scale: network.getScale() * 0.9, animation: animate ? { duration: 300 } : false });
    }
    fitAll(false);

    // Labels, level of detail: at each zoom the labels that fit are drawn, best-ranked first
    // (DATA.nodes is in display priority, community clusters before all); a label that would
    // overlap one already placed is not drawn (its font set below vis-network's draw
    // threshold) until zooming in makes room. Labels with a minimum on-screen size (minLabelPx:
    // the best-ranked entities', and in small views everybody's) grow as one zooms out; the
    // others are drawn at 14 px * scale once that reaches the threshold.
    var DRAW_THRESHOLD = DATA.options.nodes.scaling.label.drawThreshold;
    var labelKey = null, sizePending = false, labelFont = {}, labelGeneration = 0;
    function textWidth(line) {  // in font sizes: capitals are wider than lower case (measured)
      var w = 0;
      for (var i = 0; i < line.length; i++) {
        var ch = line[i];
        w += /[A-Z]/.test(ch) ? 0.74 : /[0-9]/.test(ch) ? 0.58 : /[a-z]/.test(ch) ? 0.55 : 0.36;
      }
      return w;
    }
    function labelBox(p, px, text, radius, scale) {
      // the label's box on screen, under its dot (the offset measured on vis-network's own
      // label boxes), with two pixels to spare all round
      var lines = String(text).split("\n");
      var width = px * Math.max.apply(null, lines.map(textWidth));
      var top = p.y + radius + 6.5 + 3.8 * scale;
      return { x0: p.x - width / 2 - 2, x1: p.x + width / 2 + 2, y0: top - 2, y1: top + px * lines.length + 2 };
    }
    function sizeLabels() {
      sizePending = false;
      var scale = network.getScale(), view = network.getViewPosition();
      var key = [scale.toFixed(4), Math.round(view.x * scale / 40), Math.round(view.y * scale / 40), labelGeneration].join();
      if (key === labelKey) return;
      labelKey = key;
      var drawn = network.getPositions();  // what is drawn: clusters, not the nodes inside them
      var width = container.clientWidth, height = container.clientHeight, margin = 200;
      var grid = {}, CELL = 80;
      function cells(b) {
        var out = [];
        for (var gx = Math.floor(b.x0 / CELL); gx <= Math.floor(b.x1 / CELL); gx++)
          for (var gy = Math.floor(b.y0 / CELL); gy <= Math.floor(b.y1 / CELL); gy++) out.push(gx + ":" + gy);
        return out;
      }
      function place(b) {  // true if the box overlaps no placed box; then it is placed
        var cs = cells(b);
        for (var i = 0; i < cs.length; i++) {
          var there = grid[cs[i]] || [];
          for (var j = 0; j < there.length; j++) {
            var o = there[j];
            if (b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) return false;
          }
        }
        cs.forEach(function (c) { (grid[c] = grid[c] || []).push(b); });
        return true;
      }
      function onScreen(p) { return p.x > -margin && p.x < width + margin && p.y > -margin && p.y < height + margin; }
      clusterIds().forEach(function (cid) {
        var p = network.canvasToDOM(drawn[cid]), c = COMMUNITY[cid];
        if (onScreen(p)) place(labelBox(p, clusterFont() * scale, c.label, clusterSize(c) * scale, scale));
      });
      var updates = [];
      DATA.nodes.forEach(function (n) {
        if (!has(drawn, n.id)) return;  // filtered out, or inside a cluster
        var size = n.minLabelPx > 0 ? Math.min(90, Math.max(14, n.minLabelPx / scale)) : 14;
        var px = size * scale, p = network.canvasToDOM(drawn[n.id]);
        if (px >= DRAW_THRESHOLD && onScreen(p) && !place(labelBox(p, px, n.label, (n.size || 7) * scale, scale))) size = 1;
        size = Math.round(size);
        if (labelFont[n.id] !== size) {
          labelFont[n.id] = size;
          updates.push({ id: n.id, font: { size: size } });
        }
      });
      if (updates.length) nodes.update(updates);
    }
    function relabel() { labelGeneration++; sizeLabels(); }

    // ------------------------------------------------------------------ communities
    // A view that is a slice of a larger graph opens as an overview: each community of the
    // shown entities (computed in Python, see communities()) is one labelled cluster; a click
    // expands it, and "Group into communities" regroups them.
    var COMMUNITIES = DATA.communities || [];
    var COMMUNITY = {};
    function clusterId(c) { return "community:" + c.id; }
    COMMUNITIES.forEach(function (c) { COMMUNITY[clusterId(c)] = c; });
    var grouped = false;
    // (network.isCluster logs an error for an id it does not know; getPositions does not)
    function isDrawnCluster(cid) { return has(COMMUNITY, cid) && has(network.getPositions([cid]), cid); }
    function clusterIds() {
      return COMMUNITIES.map(clusterId).filter(isDrawnCluster);
    }
    function group() {
      COMMUNITIES.forEach(function (c) {
        var cid = clusterId(c);
        if (isDrawnCluster(cid)) return;
        var present = nodeView.get({ filter: function (n) { return n.community === c.id; } }).length;
        if (present < 2) return;
        network.cluster({
          joinCondition: function (n) { return n.community === c.id; },
          clusterNodeProperties: {
            id: cid, label: c.label, shape: "dot", size: clusterSize(c), x: c.x, y: c.y,
            borderWidth: 2, borderWidthSelected: 3, font: { size: clusterFont(), multi: false },
            color: { background: c.color, border: c.border, highlight: { background: c.color, border: "#1A202C" },
                     hover: { background: c.color, border: "#1A202C" } }
          }
        });
      });
    }
    function clusterSize(c) { return Math.round(14 + 3 * Math.sqrt(c.size)); }  // grows with its members
    function clusterFont() { return Math.round(Math.min(60, Math.max(14, 13 / network.getScale()))); }
    function sizeClusterLabels() {
      var size = clusterFont();
      clusterIds().forEach(function (cid) { network.clustering.updateClusteredNode(cid, { font: { size: size } }); });
    }
    function setGrouped(on) {
      grouped = !!on && COMMUNITIES.length > 0;
      groupBox.checked = grouped;
      if (grouped) group();
      else clusterIds().forEach(function (cid) { network.openCluster(cid); });
      updateViewLine();
      relabel();
    }
    function expand(cid) {
      if (!isDrawnCluster(cid)) return false;
      network.openCluster(cid);
      updateViewLine();
      relabel();
      return true;
    }
    function openClusterOf(id) {  // the cluster that hides a node, opened
      var path = network.clustering.findNode(id);
      if (path && path.length > 1) expand(path[0]);
    }
    var groupBox = document.getElementById("kg-toggle-groups");
    groupBox.disabled = !COMMUNITIES.length;
    document.getElementById("kg-groups-item").hidden = !COMMUNITIES.length;
    groupBox.addEventListener("change", function () { setGrouped(groupBox.checked); });
    setGrouped(COMMUNITIES.length > 0);
    if (grouped) fitAll(false);
    sizeLabels();

    network.on("afterDrawing", function () {  // after zooms, fits and focus animations
      if (!sizePending) { sizePending = true; requestAnimationFrame(function () { sizeLabels(); sizeClusterLabels(); }); }
    });
    network.once("afterDrawing", function () {
      kgView.readyTime = performance.now();
      kgView.ready = true;
      document.documentElement.setAttribute("data-kg-ready", "true");
      if (loading) loading.hidden = true;
    });

    function refresh() {
      nodeView.refresh();
      edgeView.refresh();
      if (grouped) group();  // nodes shown again join their community's cluster
      updateViewLine();
      relabel();
    }
    function updateViewLine() {
      var shownEntities = 0, shownPapers = 0, shownEdges = 0, visible = {};
      nodeView.forEach(function (n) { visible[n.id] = true; if (n.group === "Paper") shownPapers++; else shownEntities++; });
      edgeView.forEach(function (e) { if (visible[e.from] === true && visible[e.to] === true) shownEdges++; });
      var text = "Showing " + plural(shownEntities, "entity", "entities");
      if (shownPapers) text += ", " + plural(shownPapers, "paper");
      text += " and " + plural(shownEdges, "edge");
      var clustered = clusterIds().length;
      if (clustered) text += "; " + plural(clustered, "community", "communities") + " drawn as one node each (click to expand)";
      document.getElementById("kg-view").textContent = text;
    }

    // ------------------------------------------------------------------ legend and filters
    var typeBoxes = {};
    var legend = document.getElementById("kg-legend");
    DATA.types.forEach(function (t) {
      var box = h("input", { type: "checkbox", "data-type": t.name });
      box.checked = true;
      box.addEventListener("change", function () { setTypeVisible(t.name, box.checked); });
      typeBoxes[t.name] = box;
      var count = t.shown === t.count ? fmt(t.count) : fmt(t.shown) + " / " + fmt(t.count);
      legend.append(h("li", { "data-type": t.name },
        h("label", { class: "kg-check", title: t.shown + " shown of " + t.count + " in the graph" },
          box, swatch(t.name), h("span", { text: t.name }), h("span", { class: "kg-count", text: count }))));
    });
    var relLegend = document.getElementById("kg-rel-legend");
    var relBoxes = {};
    DATA.relations.forEach(function (r) {
      var box = h("input", { type: "checkbox", "data-relation": r.name });
      box.checked = true;
      box.addEventListener("change", function () { setRelationVisible(r.name, box.checked); });
      relBoxes[r.name] = box;
      relLegend.append(h("li", { "data-relation": r.name },
        h("label", { class: "kg-check" }, box, lineSwatch(r.name), h("span", { text: r.name }),
          h("span", { class: "kg-count", text: fmt(r.count) }))));
    });
    if (!DATA.relations.length) relLegend.append(h("li", { class: "kg-muted", text: "No relations in this view" }));

    var paperBox = document.getElementById("kg-toggle-papers");
    paperBox.checked = papersVisible;
    paperBox.disabled = !DATA.paperType.shown;
    document.getElementById("kg-papers-label").textContent = "Papers (" + fmt(DATA.paperType.shown) + ")";
    paperBox.addEventListener("change", function () { setPapersVisible(paperBox.checked); });
    var physicsBox = document.getElementById("kg-toggle-physics");
    physicsBox.checked = !!META.physics;
    if (DATA.nodes.length > 1500) document.getElementById("kg-physics-hint").textContent = "(slow at this size)";
    physicsBox.addEventListener("change", function () { setPhysics(physicsBox.checked); });
    document.getElementById("kg-fit").addEventListener("click", function () {
      fitAll(DATA.nodes.length <= 2000);
    });

    function setTypeVisible(type, on) {
      visibleTypes[type] = !!on;
      if (typeBoxes[type]) typeBoxes[type].checked = !!on;
      refresh();
    }
    function setRelationVisible(rel, on) {
      visibleRels[rel] = !!on;
      if (relBoxes[rel]) relBoxes[rel].checked = !!on;
      refresh();
    }
    function setPapersVisible(on) {
      papersVisible = !!on;
      paperBox.checked = papersVisible;
      refresh();
    }
    function setPhysics(on) {
      physicsBox.checked = !!on;
      network.setOptions({ physics: { enabled: !!on } });
    }

    // ------------------------------------------------------------------ tooltip
    var tooltip = document.getElementById("kg-tooltip");
    var wrap = container.parentNode;
    function showTooltip(children, pointer) {
      tooltip.replaceChildren();
      append(tooltip, children);
      tooltip.hidden = false;
      var x = pointer.x + 14, y = pointer.y + 14;
      var maxX = wrap.clientWidth - tooltip.offsetWidth - 8, maxY = wrap.clientHeight - tooltip.offsetHeight - 8;
      if (x > maxX) x = Math.max(8, pointer.x - tooltip.offsetWidth - 14);
      if (y > maxY) y = Math.max(8, pointer.y - tooltip.offsetHeight - 14);
      tooltip.style.left = x + "px";
      tooltip.style.top = y + "px";
    }
    function hideTooltip() { tooltip.hidden = true; }
    function nodeSummary(id) {
      if (has(COMMUNITY, id)) {
        var c = COMMUNITY[id];
        return [h("div", { class: "kg-tt-name", text: "A community of " + plural(c.size, "entity", "entities") }),
                h("div", { class: "kg-tt-row", text: c.names.join(", ") + (c.more ? " and " + fmt(c.more) + " more" : "") }),
                h("div", { class: "kg-tt-row", text: "Click to expand" })];
      }
      if (has(DATA.entities, id)) {
        var e = DATA.entities[id];
        var rows = [h("div", { class: "kg-tt-name", text: e.name }), h("div", { class: "kg-tt-row" }, badge(e.type))];
        if (e.aliases.length) {
          var shown = e.aliases.slice(0, 6).join(", ") + (e.aliases.length > 6 ? ", \u2026" : "");
          rows.push(h("div", { class: "kg-tt-row", text: "Also: " + shown }));
        }
        rows.push(h("div", { class: "kg-tt-row", text: plural(e.nPapers, "paper") + " \u00b7 " + plural(e.mentions, "mention") }));
        return rows;
      }
      var p = DATA.paperDetails[id] || DATA.papers[id] || { title: labelOf(id) };
      var out = [h("div", { class: "kg-tt-name", text: p.title }), h("div", { class: "kg-tt-row" }, badge("Paper"))];
      var facts = [p.year, p.venue].filter(Boolean).join(" \u00b7 ");
      if (facts) out.push(h("div", { class: "kg-tt-row", text: facts }));
      if (p.proposes && p.proposes.length) out.push(h("div", { class: "kg-tt-row", text: "Proposes " + p.proposes.map(labelOf).join(", ") }));
      return out;
    }
    function edgeSummary(edgeId) {
      var e = edges.get(edgeId);
      if (!e) return null;
      if (e.r === undefined) return [h("div", { class: "kg-tt-name", text: "mentions" }), h("div", { class: "kg-tt-row", text: labelOf(e.from) + " \u2192 " + labelOf(e.to) })];
      var r = DATA.rels[e.r];
      return [h("div", { class: "kg-tt-name", text: labelOf(r.h) + " " + verb(r.type) + " " + labelOf(r.t) }),
              h("div", { class: "kg-tt-row", text: plural(r.n, "sentence") + " in " + plural(r.np, "paper") + " \u00b7 click for evidence" })];
    }
    network.on("hoverNode", function (p) { showTooltip(nodeSummary(p.node), p.pointer.DOM); });
    network.on("blurNode", hideTooltip);
    network.on("hoverEdge", function (p) { var s = edgeSummary(p.edge); if (s) showTooltip(s, p.pointer.DOM); });
    network.on("blurEdge", hideTooltip);
    network.on("dragStart", hideTooltip);
    network.on("zoom", hideTooltip);

    // ------------------------------------------------------------------ details panel
    var panel = document.getElementById("kg-panel");
    function isShown(id) { return nodes.get(id) !== null; }
    function nodeRef(id, selfId) {
      if (id === null || id === undefined) return h("span", { class: "kg-muted", text: "\u2014" });
      if (id === selfId) return h("span", { class: "kg-self", text: labelOf(id) });
      if (isShown(id)) {
        return h("button", { type: "button", class: "kg-link", "data-node": id, text: labelOf(id),
          onclick: function () { select(id, { focus: true }); } });
      }
      return h("span", { class: "kg-offview", text: labelOf(id) });
    }
    function paperLine(pid) {
      var p = DATA.papers[pid] || { title: labelOf(pid) };
      var url = safeUrl(p.url);
      var title = url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: p.title })
                      : h("span", { text: p.title });
      return [title, p.year ? [" ", h("span", { class: "kg-year", text: p.year })] : null];
    }
    function marked(text, primary, other) {
      var spans = [];
      (primary || []).forEach(function (s) { spans.push([s[0], s[1], ""]); });
      (other || []).forEach(function (s) { spans.push([s[0], s[1], "kg-other"]); });
      spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
      var out = [], pos = 0;
      spans.forEach(function (s) {
        if (s[0] < pos || s[1] > text.length || s[1] <= s[0]) return;
        if (s[0] > pos) out.push(text.slice(pos, s[0]));
        out.push(h("mark", { class: s[2] || null, text: text.slice(s[0], s[1]) }));
        pos = s[1];
      });
      if (pos < text.length) out.push(text.slice(pos));
      return out;
    }
    function evidenceBlock(ev, primary, other) {
      var cite = ev.p ? h("cite", null, "\u2014 ", paperLine(ev.p)) : null;
      return h("blockquote", { class: "kg-evidence" }, marked(ev.s, primary, other), cite);
    }
    function relationItem(ri, selfId) {
      var r = DATA.rels[ri];
      var li = h("li", { "data-rel": ri },
        h("div", null, nodeRef(r.h, selfId), " ", h("span", { class: "kg-rel-verb", text: verb(r.type) }), " ", nodeRef(r.t, selfId)));
      r.ev.forEach(function (ev) {
        var headIsSelf = r.h === selfId, tailIsSelf = r.t === selfId;
        var primary = headIsSelf ? ev.hh : tailIsSelf ? ev.ht : ev.hh.concat(ev.ht);
        var other = headIsSelf ? ev.ht : tailIsSelf ? ev.hh : [];
        li.append(evidenceBlock(ev, primary, other));
      });
      if (r.n > r.ev.length) li.append(h("p", { class: "kg-more", text: "and " + plural(r.n - r.ev.length, "more sentence") }));
      return li;
    }
    function relationSections(relIdx, selfId) {
      var groups = {}, order = [];
      relIdx.forEach(function (ri) {
        var t = DATA.rels[ri].type;
        if (!has(groups, t)) { groups[t] = []; order.push(t); }
        groups[t].push(ri);
      });
      var known = DATA.relations.map(function (r) { return r.name; });
      order.sort(function (a, b) {
        var ia = known.indexOf(a), ib = known.indexOf(b);
        return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib) || (a < b ? -1 : a > b ? 1 : 0);
      });
      return order.map(function (t) {
        return h("section", { class: "kg-rel-group", "data-relation": t },
          h("h4", null, lineSwatch(t), h("span", { text: t }), h("span", { class: "kg-muted", text: "(" + groups[t].length + ")" })),
          h("ul", { class: "kg-list" }, groups[t].map(function (ri) { return relationItem(ri, selfId); })));
      });
    }
    function resultItem(ri, selfId) {
      var r = DATA.results[ri];
      var primary = [], other = [];
      ["s", "b", "m"].forEach(function (k) {
        if (r.hl && r.hl[k]) (r[k] === selfId ? primary : other).push.apply(r[k] === selfId ? primary : other, r.hl[k]);
      });
      var parts = [nodeRef(r.s, selfId)];
      if (r.b) parts.push(" on ", nodeRef(r.b, selfId));
      if (r.m) parts.push(" \u00b7 ", nodeRef(r.m, selfId));
      parts.push(" ", h("span", { class: "kg-value", text: r.v }));
      return h("li", null, h("div", null, parts), r.sent ? evidenceBlock({ s: r.sent, p: r.p }, primary, other) : null);
    }
    function svg(tag, attrs) {
      var el = document.createElementNS("http://www.w3.org/2000/svg", tag);
      Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
      for (var i = 2; i < arguments.length; i++) if (arguments[i]) el.append(arguments[i]);
      return el;
    }
    function svgText(x, y, text, anchor) {
      var t = svg("text", { x: x, y: y, "text-anchor": anchor || "start", class: "kg-chart-label" });
      t.textContent = String(text);
      return t;
    }
    function bestByYearChart(c) {
      // the best value each year, and the running best as a step line (inline SVG: no network)
      var W = 300, H = 130, L = 44, R = 12, T = 14, B = 24;
      var ys = c.points.map(function (p) { return p[0]; }), vs = c.points.map(function (p) { return p[1]; });
      var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
      var v0 = Math.min.apply(null, vs), v1 = Math.max.apply(null, vs);
      if (v1 === v0) { v0 -= 1; v1 += 1; }
      function x(yr) { return L + (y1 === y0 ? 0.5 : (yr - y0) / (y1 - y0)) * (W - L - R); }
      function y(v) { return T + (1 - (v - v0) / (v1 - v0)) * (H - T - B); }
      var higher = c.direction === "higher", best = null, path = [];
      c.points.forEach(function (p, i) {
        var v = best === null || (higher ? p[1] > best : p[1] < best) ? p[1] : best;
        if (i > 0) path.push(x(p[0]).toFixed(1) + "," + y(best).toFixed(1));
        path.push(x(p[0]).toFixed(1) + "," + y(v).toFixed(1));
        best = v;
      });
      var unit = c.unit ? " (" + c.unit + ")" : "";
      var chart = svg("svg", { class: "kg-chart", viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img",
                               "aria-label": "Best " + (c.metric || "value") + " by year" },
        svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "kg-chart-axis" }),
        svg("line", { x1: L, y1: T, x2: L, y2: H - B, class: "kg-chart-axis" }),
        svg("polyline", { points: path.join(" "), class: "kg-chart-line", fill: "none" }),
        svgText(L - 4, y(v1) + 4, +v1.toFixed(2), "end"), svgText(L - 4, y(v0) + 4, +v0.toFixed(2), "end"),
        svgText(x(y0), H - 8, y0, "middle"), y1 !== y0 ? svgText(x(y1), H - 8, y1, "middle") : null);
      c.points.forEach(function (p) {
        var dot = svg("circle", { cx: x(p[0]).toFixed(1), cy: y(p[1]).toFixed(1), r: 3.5, class: "kg-chart-dot" });
        var tip = svg("title");
        tip.textContent = p[0] + ": " + p[1] + (c.unit || "");
        dot.append(tip);
        chart.append(dot);
      });
      return h("figure", { class: "kg-chart-figure" }, chart,
        h("figcaption", { class: "kg-muted", text: "Best " + (c.metric || "value") + unit + " by year, " +
          (higher ? "higher" : "lower") + " is better" }));
    }
    function boardTable(board, selfId) {
      return h("table", { class: "kg-board" },
        h("thead", null, h("tr", null, ["#", "Method or model", "Metric", "Value", "Year"].map(function (t) { return h("th", { text: t }); }))),
        h("tbody", null, board.map(function (r) {
          var tr = h("tr", { "data-rank": r.r === null ? "" : r.r },
            h("td", { class: "kg-rank", text: r.r === null ? "\u2013" : r.r }),
            h("td", null, r.s ? nodeRef(r.s, selfId) : h("span", { class: "kg-muted", text: "the paper's method" })),
            h("td", { text: r.m || "\u2014" }),
            h("td", { class: "kg-value", text: r.v }),
            h("td", { class: "kg-year", text: r.y || "" }));
          if (r.d === null) tr.title = "not ranked: the metric's direction is not known";
          return tr;
        })));
    }
    function show(children) {
      panel.replaceChildren();
      append(panel, children);
      panel.scrollTop = 0;
    }
    function entityPanel(id) {
      var e = DATA.entities[id];
      var facts = [h("span", { text: plural(e.nPapers, "paper") }), h("span", { text: plural(e.mentions, "mention") })];
      if (e.confidence !== undefined) facts.push(h("span", { text: "type confidence " + Math.round(e.confidence * 100) + "%" }));
      var out = [badge(e.type), h("h2", { id: "kg-panel-title", "data-node": id, text: e.name }), h("p", { class: "kg-facts" }, facts)];
      if (e.aliases.length) out.push(h("p", { class: "kg-aliases" }, h("span", { class: "kg-muted", text: "Also: " }),
        e.aliases.map(function (a) { return h("span", { class: "kg-chip", text: a }); })));
      // a benchmark's leaderboard comes first: it is what a reader opens a benchmark for
      if (e.board && e.board.length) {
        out.push(h("h3", { text: "Leaderboard" }));
        if (e.chart) out.push(bestByYearChart(e.chart));
        out.push(boardTable(e.board, id));
        // a benchmark's leaderboard comes first: it is what a reader opens a benchmark for
      if (e.boardMore) out.push(h("p", { class: "kg-more", text: "and " + plural(e.boardMore, "more result") + " (kg leaderboard lists all)" }));
      }
      out.push(h("h3", { text: "Papers (" + fmt(e.nPapers) + ")" }));
      var paperList = h("ul", { class: "kg-list kg-papers" }, e.papers.map(function (pid, i) {
        return h("li", { hidden: i >= PAPERS_FIRST ? "" : null }, paperLine(pid));
      }));
      out.push(paperList);
      if (e.papers.length > PAPERS_FIRST) {
        var more = h("button", { type: "button", class: "kg-link kg-more-button",
          text: "Show " + (e.papers.length - PAPERS_FIRST) + " more" + (e.nPapers > e.papers.length ? " (of " + fmt(e.nPapers) + ")" : "") });
        more.addEventListener("click", function () {
          Array.prototype.forEach.call(paperList.children, function (li) { li.hidden = false; });
          more.remove();
          if (e.nPapers > e.papers.length) paperList.after(h("p", { class: "kg-more", text: "and " + plural(e.nPapers - e.papers.length, "more paper") + " not listed" }));
        });
        out.push(h("p", { class: "kg-more" }, more));
      } else if (e.nPapers > e.papers.length) {
        out.push(h("p", { class: "kg-more", text: "and " + plural(e.nPapers - e.papers.length, "more paper") + " not listed" }));
      }
      out.push(h("h3", { text: "Relations" }));
      if (e.rels.length) out.push(h("div", { class: "kg-relations" }, relationSections(e.rels, id)));
      else out.push(h("p", { class: "kg-muted", text: "No relations found." }));
      if (e.relsMore) out.push(h("p", { class: "kg-more", text: "and " + plural(e.relsMore, "more relation") + " with entities outside this view" }));
      if (e.reportedOn && e.reportedOn.length) {
        out.push(h("h3", { text: "Reported on" }));
        out.push(h("p", { class: "kg-reported-on" }, e.reportedOn.map(function (bn) {
          return h("span", { class: "kg-chip" }, nodeRef(bn[0], id), h("span", { class: "kg-muted", text: " " + bn[1] }));
        })));
      }
      if (e.results && e.results.length) {
        out.push(h("h3", { text: "Results (" + e.results.length + ")" }));
        out.push(h("ul", { class: "kg-list kg-results" }, e.results.map(function (ri) { return resultItem(ri, id); })));
      }
      return out;
    }
    function paperPanel(id) {
      var p = DATA.paperDetails[id];
      var facts = [p.year ? h("span", { text: p.year }) : null, p.venue ? h("span", { text: p.venue }) : null,
                   h("span", { text: p.paperId })];
      var out = [badge("Paper"), h("h2", { id: "kg-panel-title", "data-node": id, text: p.title }), h("p", { class: "kg-facts" }, facts)];
      if (p.authors.length) out.push(h("p", { class: "kg-aliases", text: p.authors.join(", ") + (p.authorsMore ? " and " + p.authorsMore + " more" : "") }));
      var url = safeUrl(p.url);
      if (url) out.push(h("p", null, h("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: "Open the paper \u2197" })));
      out.push(h("h3", { text: "Proposes" }));
      out.push(p.proposes.length ? h("p", null, p.proposes.map(function (eid) { return h("span", { class: "kg-chip" }, nodeRef(eid, id)); }))
                                 : h("p", { class: "kg-muted", text: "No method or model of its own found." }));
      var rels = p.rels.filter(function (ri) { return DATA.rels[ri].type !== "proposes"; });
      if (rels.length) { out.push(h("h3", { text: "Relations it states" })); out.push(relationSections(rels, id)); }
      var props = p.rels.filter(function (ri) { return DATA.rels[ri].type === "proposes"; });
      props.forEach(function (ri) {
        DATA.rels[ri].ev.forEach(function (ev) { out.push(evidenceBlock({ s: ev.s }, ev.ht, [])); });
      });
      out.push(h("h3", { text: "Mentions (" + p.mentions.length + ")" }));
      out.push(h("p", null, p.mentions.map(function (eid) { return h("span", { class: "kg-chip" }, nodeRef(eid, id)); })));
      return out;
    }
    function edgePanel(edgeId) {
      var e = edges.get(edgeId);
      if (!e || e.r === undefined) return false;
      var r = DATA.rels[e.r];
      var out = [h("span", { class: "kg-badge", text: "Relation", style: { background: "#EDF2F7", color: "#1A202C" } }),
                 h("h2", { id: "kg-panel-title", text: labelOf(r.h) + " " + verb(r.type) + " " + labelOf(r.t) }),
                 h("p", { class: "kg-facts" }, h("span", { text: plural(r.n, "sentence") }), h("span", { text: plural(r.np, "paper") }),
                   r.c !== undefined ? h("span", { text: "confidence " + Math.round(r.c * 100) + "%" }) : null),
                 h("h3", { text: "Evidence" }), h("ul", { class: "kg-list" }, relationItem(e.r, null))];
      show(out);
      return true;
    }
    function showNode(id) {
      if (has(DATA.entities, id)) show(entityPanel(id));
      else if (has(DATA.paperDetails, id)) show(paperPanel(id));
      else return false;
      // the search box follows the selection (unless the reader is typing in it)
      var box = document.getElementById("kg-search");
      if (box && document.activeElement !== box) {
        box.value = labelOf(id);
        var msg = document.getElementById("kg-search-msg");
        if (msg) msg.replaceChildren();
      }
      return true;
    }

    function ensureVisible(id) {
      var n = nodes.get(id);
      if (!n) return;
      if (n.group === "Paper") { if (!papersVisible) setPapersVisible(true); }
      else if (visibleTypes[n.group] === false) setTypeVisible(n.group, true);
    }
    function select(id, opts) {
      if (!isShown(id)) return false;
      ensureVisible(id);
      openClusterOf(id);
      network.selectNodes([id]);
      showNode(id);
      if (opts && opts.focus) {
        network.focus(id, { scale: Math.max(network.getScale(), 1.1),
          animation: DATA.nodes.length > 2000 ? false : { duration: 450, easingFunction: "easeInOutQuad" } });
      }
      return true;
    }
    network.on("click", function (p) {
      hideTooltip();
      if (p.nodes.length && isDrawnCluster(p.nodes[0])) expand(p.nodes[0]);
      else if (p.nodes.length) showNode(p.nodes[0]);
      else if (p.edges.length) edgePanel(p.edges[0]);
    });

    // ------------------------------------------------------------------ search
    var entries = [];
    DATA.nodes.forEach(function (n, i) {
      var isPaper = n.group === "Paper";
      entries.push({ id: n.id, label: labelOf(n.id), aliases: isPaper ? [] : DATA.entities[n.id].aliases,
                     type: isPaper ? "Paper" : DATA.entities[n.id].type, inView: true, rank: i });
    });
    DATA.index.forEach(function (it, i) {
      entries.push({ id: null, label: it[0], type: it[1], aliases: it[2] || [], inView: false, rank: 1e9 + i });
    });
    entries.forEach(function (e) {
      e.l = e.label.toLowerCase();
      e.al = e.aliases.map(function (a) { return a.toLowerCase(); });
    });
    function matches(text, limit) {
      var q = String(text || "").trim().toLowerCase();
      if (!q) return [];
      var found = [];
      entries.forEach(function (e) {
        var score = -1;
        if (e.l === q) score = 0;
        else if (e.al.indexOf(q) >= 0) score = 1;
        else if (e.l.indexOf(q) === 0) score = 2;
        else if (e.al.some(function (a) { return a.indexOf(q) === 0; })) score = 3;
        else if (e.l.indexOf(q) > 0) score = 4;
        else if (e.al.some(function (a) { return a.indexOf(q) > 0; })) score = 5;
        if (score >= 0) found.push([score, e]);
      });
      found.sort(function (a, b) {
        return a[0] - b[0] || (b[1].inView - a[1].inView) || (a[1].type === "Paper") - (b[1].type === "Paper") || a[1].rank - b[1].rank;
      });
      return found.slice(0, limit || 8).map(function (f) { return f[1]; });
    }
    var input = document.getElementById("kg-search");
    var suggest = document.getElementById("kg-suggest");
    var message = document.getElementById("kg-search-msg");
    var current = [], active = -1;
    function closeSuggest() { suggest.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function renderSuggest() {
      suggest.replaceChildren();
      current.forEach(function (e, i) {
        var sub = e.inView ? e.type : e.type + ", not in view";
        var li = h("li", { role: "option", "aria-selected": i === active ? "true" : "false" },
          swatch(e.type), h("span", { class: "kg-name", text: e.label }), h("span", { class: "kg-sub", text: sub }));
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(e); });
        suggest.append(li);
      });
      suggest.hidden = current.length === 0;
      input.setAttribute("aria-expanded", current.length ? "true" : "false");
    }
    function choose(e) {
      closeSuggest();
      input.value = e.label;
      message.replaceChildren();
      if (e.inView) {
        select(e.id, { focus: true });
        return e.id;
      }
      message.append("\u201c" + e.label + "\u201d is not in this view. Show it with ",
                     h("code", { text: "kg view GRAPH --focus \"" + e.label + "\"" }));
      return null;
    }
    function search(text) {
      var found = matches(text, 1);
      message.replaceChildren();
      if (!found.length) {
        closeSuggest();
        message.textContent = "No entity matches \u201c" + String(text).trim() + "\u201d.";
        return null;
      }
      return choose(found[0]);
    }
    input.addEventListener("input", function () {
      current = matches(input.value, 8);
      active = current.length ? 0 : -1;
      message.replaceChildren();
      renderSuggest();
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (!current.length) return;
        ev.preventDefault();
        active = (active + (ev.key === "ArrowDown" ? 1 : current.length - 1)) % current.length;
        renderSuggest();
      } else if (ev.key === "Enter") {
        ev.preventDefault();
        if (current.length && active >= 0 && !suggest.hidden) choose(current[active]);
        else search(input.value);
      } else if (ev.key === "Escape") {
        closeSuggest();
      }
    });
    input.addEventListener("blur", function () { setTimeout(closeSuggest, 100); });

    // ------------------------------------------------------------------ hook and start
    kgView.select = function (id) { return select(id, { focus: false }); };
    kgView.search = search;
    kgView.domPosition = function (id) {
      if (!isShown(id)) return null;
      var p = network.canvasToDOM(network.getPosition(id));
      return { x: p.x, y: p.y };
    };
    kgView.setTypeVisible = setTypeVisible;
    kgView.setRelationVisible = setRelationVisible;
    kgView.setPapersVisible = setPapersVisible;
    kgView.setPhysics = setPhysics;
    kgView.visibleNodeIds = function () { return nodeView.getIds(); };
    kgView.clusters = clusterIds;
    kgView.expand = expand;
    kgView.setGrouped = setGrouped;
    kgView.showEdge = edgePanel;

    updateViewLine();
    if (META.focus && isShown(META.focus)) select(META.focus, { focus: false });
  }
})();
