// The explorer page's behaviour (analysis/explore.py writes the data into window.CANON): the
// plots, a block's details on click, and the transaction search. No network access.
(function () {
  "use strict";
  var C = window.CANON;
  var B = C.blocks;
  var A = C.arrivals;
  var T = C.transactions;
  var config = { responsive: true, displaylogo: false };

  function byId(id) {
    return document.getElementById(id);
  }

  function text(value) {
    return document.createTextNode(value === null || value === undefined ? "—" : String(value));
  }

  function seconds(value) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(3) + " s";
  }

  // A table of [label, value] rows; a value may be a DOM node.
  function table(rows, header) {
    var t = document.createElement("table");
    if (header) {
      var tr = document.createElement("tr");
      header.forEach(function (h) {
        var th = document.createElement("th");
        th.appendChild(text(h));
        tr.appendChild(th);
      });
      t.appendChild(tr);
    }
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      if (row.className) {
        tr.className = row.className;
        tr.setAttribute("data-kind", row.kind);
      }
      (row.cells || row).forEach(function (cell) {
        var td = document.createElement("td");
        td.appendChild(cell instanceof Node ? cell : text(cell));
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    return t;
  }

  function blockLink(index, label) {
    var a = document.createElement("a");
    a.className = "block";
    a.appendChild(text(label));
    a.addEventListener("click", function () {
      showBlock(index);
      byId("block").scrollIntoView();
    });
    return a;
  }

  function txLink(id) {
    var a = document.createElement("a");
    a.className = "tx";
    a.appendChild(text(id));
    a.addEventListener("click", function () {
      byId("tx-search").value = id;
      findTransaction(id);
      byId("transaction").scrollIntoView();
    });
    return a;
  }

  // ---- one block --------------------------------------------------------------------------

  function arrivalsOf(i) {
    var out = [];
    for (var k = A.offsets[i]; k < A.offsets[i + 1]; k++) {
      out.push({ node: A.node[k], delay: A.delay[k] });
    }
    return out;
  }

  // Node coordinates nearest in time to t: radio positions, or the network layout.
  function coordinatesAt(t) {
    var best = C.epochs[0];
    C.epochs.forEach(function (e) {
      if (Math.abs(e.time - t) < Math.abs(best.time - t)) {
        best = e;
      }
    });
    return C.positions[String(best.epoch)];
  }

  function showBlock(i) {
    var detail = byId("block-detail");
    detail.innerHTML = "";
    var lane = B.main[i] ? "main chain" : "fork";
    var parent = B.hash.indexOf(B.parent[i]);
    detail.appendChild(table([
      ["block", B.hash[i]],
      ["parent" + (B.recorded[i] ? "" : " (inferred)"),
       parent >= 0 ? blockLink(parent, B.parent[i]) : B.parent[i]],
      ["height, slot", B.height[i] + ", " + B.slot[i] + " (" + lane + ")"],
      ["producer", B.recorded[i] ? "node " + B.node[i]
        : "no production record (an adversary's block); first accepted by node " + B.node[i]],
      [B.recorded[i] ? "made at" : "first accepted at", seconds(B.time[i])],
      ["size", B.recorded[i] ? B.bytes[i] + " bytes, " + B.txCount[i] + " transactions" : "unknown"],
      ["irreversible", B.irreversibleAt[i] === null ? "not in this run" : seconds(B.irreversibleAt[i])]
    ]));
    var list = document.createElement("div");
    list.className = "txlist";
    B.txs[i].forEach(function (id, k) {
      if (k > 0) {
        list.appendChild(text(" "));
      }
      list.appendChild(txLink(id));
    });
    detail.appendChild(list);
    drawArrivals(i);
  }

  function drawArrivals(i) {
    var arrivals = arrivalsOf(i);
    var delays = arrivals.map(function (a) { return a.delay; }).sort(function (a, b) { return a - b; });
    var nodes = Number(C.meta.nodes);
    Plotly.react(byId("block-cdf"), [{
      x: delays, y: delays.map(function (d, k) { return (k + 1) / nodes; }),
      mode: "lines+markers", line: { shape: "hv" }, name: "nodes reached"
    }], {
      title: { text: "block " + B.hash[i] + ": arrival at " + delays.length + " of " + nodes + " nodes", font: { size: 12 } },
      xaxis: { title: "seconds after the slot start" }, yaxis: { title: "fraction of nodes", range: [0, 1.02] },
      margin: { l: 50, r: 10, t: 40, b: 40 }, height: 320
    }, config);
    var xy = coordinatesAt(B.time[i]);
    var delayOf = {};
    arrivals.forEach(function (a) { delayOf[a.node] = a.delay; });
    var reached = { x: [], y: [], c: [], t: [] };
    var missed = { x: [], y: [], t: [] };
    for (var n = 0; n < xy[0].length; n++) {
      if (delayOf.hasOwnProperty(n)) {
        reached.x.push(xy[0][n]); reached.y.push(xy[1][n]); reached.c.push(delayOf[n]);
        reached.t.push("node " + n + ": " + delayOf[n].toFixed(3) + " s");
      } else {
        missed.x.push(xy[0][n]); missed.y.push(xy[1][n]); missed.t.push("node " + n + ": not reached");
      }
    }
    Plotly.react(byId("block-map"), [
      { x: reached.x, y: reached.y, mode: "markers", name: "reached", hoverinfo: "text", hovertext: reached.t,
        marker: { size: 10, color: reached.c, colorscale: "YlOrRd", showscale: true, colorbar: { title: "s" } } },
      { x: missed.x, y: missed.y, mode: "markers", name: "not reached", hoverinfo: "text", hovertext: missed.t,
        marker: { size: 8, color: "#bbb" } }
    ], {
      title: { text: C.hasPositions ? "arrival on the map (m)" : "arrival on the network layout", font: { size: 12 } },
      xaxis: { visible: C.hasPositions }, yaxis: { visible: C.hasPositions },
      showlegend: false, margin: { l: 40, r: 10, t: 40, b: 30 }, height: 320
    }, config);
  }

  // ---- one transaction --------------------------------------------------------------------

  var eventsOf = new Map();
  T.tx.forEach(function (id, k) {
    if (!eventsOf.has(id)) {
      eventsOf.set(id, []);
    }
    eventsOf.get(id).push(k);
  });

  // "0x1A2b..." or a decimal uint64 -> 16 lower-case hex digits (or the cleaned text).
  function normalise(query) {
    var q = query.trim().toLowerCase().replace(/^0x/, "");
    if (/^[0-9]+$/.test(q) && q.length !== 16 && typeof BigInt === "function") {
      return BigInt(q).toString(16).padStart(16, "0");
    }
    return q;
  }

  function describe(events) {
    var first = {};
    events.forEach(function (k) {
      var e = T.event[k];
      if (!(e in first)) {
        first[e] = T.time[k];
      }
    });
    var parts = [];
    ["submitted", "included", "irreversible", "proven"].forEach(function (e) {
      if (e in first) {
        var since = "submitted" in first && e !== "submitted"
          ? " (" + (first[e] - first.submitted).toFixed(3) + " s after submission)" : "";
        parts.push(e + " at " + seconds(first[e]) + since);
      }
    });
    return parts.join("; ");
  }

  function findTransaction(query) {
    var out = byId("tx-result");
    out.innerHTML = "";
    var id = normalise(query);
    var events = eventsOf.get(id);
    if (!events && id.length >= 4 && /^[0-9a-f]+$/.test(id)) {
      var matches = [];
      eventsOf.forEach(function (_, key) {
        if (matches.length < 10 && key.indexOf(id) === 0) {
          matches.push(key);
        }
      });
      if (matches.length === 1) {
        id = matches[0];
        events = eventsOf.get(id);
      } else if (matches.length > 1) {
        var p = document.createElement("p");
        p.appendChild(text("Several transactions start with " + id + ": "));
        matches.forEach(function (m) { p.appendChild(txLink(m)); p.appendChild(text(" ")); });
        out.appendChild(p);
        return;
      }
    }
    if (!events) {
      var none = document.createElement("p");
      none.id = "tx-none";
      none.appendChild(text("No transaction " + id + " in this trace" +
        (T.leftOut ? " (the page holds the first " + (eventsOf.size) + " transactions; " + T.leftOut + " left out)" : "") + "."));
      out.appendChild(none);
      return;
    }
    var head = document.createElement("p");
    head.appendChild(text("Transaction " + id + ": " + describe(events)));
    out.appendChild(head);
    out.appendChild(table(events.map(function (k) {
      var block = T.blockIndex[k] >= 0 ? blockLink(T.blockIndex[k], T.block[k]) : (T.block[k] || "—");
      return {
        className: "tx-event", kind: T.event[k],
        cells: [T.event[k], seconds(T.time[k]), "node " + T.node[k], T.account[k], T.fee[k], block,
                T.event[k] === "submitted" ? "—" : T.height[k]]
      };
    }), ["event", "time", "at", "account", "fee", "block", "height"]));
  }

  byId("tx-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    findTransaction(byId("tx-search").value);
  });

  // ---- the plots --------------------------------------------------------------------------

  byId("network-note").appendChild(text(C.networkNote));
  var chain = byId("chain-plot");
  var figures = C.figures;
  var drawn = [
    Plotly.newPlot(chain, figures.chain.data, figures.chain.layout, config).then(function () {
      chain.on("plotly_click", function (ev) {
        var point = ev.points.filter(function (p) { return p.data.uid === "blocks"; })[0];
        if (point) {
          showBlock(point.pointNumber);
        }
      });
    }),
    Plotly.newPlot(byId("network-plot"), {
      data: figures.network.data, layout: figures.network.layout,
      frames: figures.network.frames || [], config: config
    }),
    Plotly.newPlot(byId("drops-plot"), figures.drops.data, figures.drops.layout, config)
  ];
  Promise.all(drawn).then(function () {
    document.body.setAttribute("data-ready", "1");
  });
})();
