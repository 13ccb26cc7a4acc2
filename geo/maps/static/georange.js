var georange = (function () {
  var OFFSETS = [-360, 0, 360];
  function decode(a, s, dx) {
    var out = new Array(a.length / 2), la = 0, lo = 0;
    for (var i = 0, j = 0; i < a.length; i += 2, j++) {
      la += a[i]; lo += a[i + 1]; out[j] = [la / s, lo / s + dx];
    }
    return out;
  }
  function footprint(group, spec) {
    var s = Math.pow(10, spec.d);
    OFFSETS.forEach(function (dx) {
      spec.f.forEach(function (poly) {
        L.polygon(poly.map(function (r) { return decode(r, s, dx); }), {
          stroke: false, fillColor: spec.c, fillOpacity: spec.o, smoothFactor: 0.5,
          className: "georange-fill"
        }).bindPopup(spec.p, {maxWidth: 420}).bindTooltip(spec.t, {sticky: true}).addTo(group);
      });
      spec.l.forEach(function (line) {
        L.polyline(decode(line, s, dx), {
          color: spec.c, weight: 2, opacity: 0.9, smoothFactor: 0.5,
          className: "georange-outline"
        }).bindPopup(spec.p, {maxWidth: 420}).addTo(group);
      });
      spec.b.forEach(function (line) {
        L.polyline(decode(line, s, dx), {
          color: spec.c, weight: 1, opacity: 0.8, dashArray: "4 4", interactive: false,
          className: "georange-band"
        }).addTo(group);
      });
    });
  }
  var labelled = [];
  function point(group, spec) {
    OFFSETS.forEach(function (dx) {
      var m = L.circleMarker([spec.lat, spec.lon + dx], spec.style)
        .bindPopup(spec.p, {maxWidth: 420}).addTo(group);
      if (spec.k === undefined) { m.bindTooltip(spec.t); return; }
      // a label: permanent where it overlaps nothing (see declutter), else shown on hover
      m.bindTooltip(spec.t, {permanent: true, direction: "right", offset: [5, 0],
                             className: "georange-label", interactive: false, opacity: 1});
      m.georange = {rank: spec.k, placed: false};
      m.on("mouseover", function () { show(m, true); });
      m.on("mouseout", function () { show(m, m.georange.placed); });
      labelled.push(m);
    });
  }
  function show(m, on) {
    var el = m.getTooltip() && m.getTooltip().getElement();
    if (el) { el.style.display = on ? "" : "none"; }
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function pad(r, p) {
    return {left: r.left - p, right: r.right + p, top: r.top - p, bottom: r.bottom + p};
  }
  // Labels, best rank first, each kept only where it overlaps no label, no other marker
  // (launch sites: no label) and no control already placed, right or left of its marker.
  function declutter(map) {
    var box = map.getContainer().getBoundingClientRect();
    var taken = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (el) {
      taken.push(pad(el.getBoundingClientRect(), 2));
    });
    var shown = labelled.filter(function (m) { return map.hasLayer(m) && m.getTooltip(); });
    var dots = shown.map(function (m) {
      return {m: m, r: m.getElement().getBoundingClientRect()};
    });
    shown.sort(function (a, b) { return a.georange.rank - b.georange.rank; });
    shown.forEach(function (m) {
      var tip = m.getTooltip(), el = tip.getElement();
      m.georange.placed = false;
      if (!el) { return; }
      var own = m.getElement().getBoundingClientRect();
      if (own.right < box.left || own.left > box.right || own.bottom < box.top ||
          own.top > box.bottom) { el.style.display = "none"; return; }
      el.style.display = "";
      m.georange.placed = ["right", "left"].some(function (side) {
        tip.options.direction = side;
        tip.options.offset = [side === "right" ? 5 : -5, 0];
        tip.update();
        var r = el.getBoundingClientRect();
        var clear = r.left >= box.left && r.right <= box.right && r.top >= box.top &&
          r.bottom <= box.bottom && !taken.some(function (t) { return overlaps(r, t); }) &&
          (m.georange.rank === 0 ||
           !dots.some(function (d) { return d.m !== m && overlaps(r, d.r); }));
        if (clear) { taken.push(pad(r, 1)); }
        return clear;
      });
      if (!m.georange.placed) { el.style.display = "none"; }
    });
  }
  function fit(map, bounds, maxZoom) {
    map.fitBounds(bounds, {maxZoom: maxZoom, animate: false});
  }
  function labels(map) {
    var timer = null;
    function later() { clearTimeout(timer); timer = setTimeout(function () { declutter(map); }, 0); }
    map.on("zoomend moveend overlayadd overlayremove resize", later);
    declutter(map);
  }
  // The offline basemap (Natural Earth): land, coastlines, borders, Korean provinces, in
  // its own pane under the tiles and footprints, in the world copies around the site.
  function basemap(map, lon, tilesName) {
    var data = window.GEORANGE_BASEMAP, tiles = window[tilesName];
    if (!data) { if (tiles) { tiles.addTo(map); } return; }
    var pane = map.createPane("georange-basemap");
    pane.style.zIndex = 150;
    map.getContainer().classList.add("georange-offline");
    var renderer = L.canvas({pane: "georange-basemap", padding: 0.5});
    var s = Math.pow(10, data.d), lay = data.layers;
    var base = {renderer: renderer, pane: "georange-basemap", interactive: false,
                smoothFactor: 1};
    function opts(extra) { return L.extend({}, base, extra); }
    for (var k = -2; k <= 2; k++) {
      var dx = 360 * k;
      if (dx + 180 < lon - 540 || dx - 180 > lon + 540) { continue; }
      L.polygon(lay.land.map(function (p) { return p.map(function (r) { return decode(r, s, dx); }); }),
        opts({stroke: false, fillColor: "#f1ede3", fillOpacity: 1})).addTo(map);
      L.polygon(lay.provinces.map(function (p) { return p.map(function (r) { return decode(r, s, dx); }); }),
        opts({fill: false, color: "#b8ab96", weight: 0.6, opacity: 1})).addTo(map);
      L.polyline(lay.borders.map(function (l) { return decode(l, s, dx); }),
        opts({color: "#8d7f86", weight: 1, opacity: 1})).addTo(map);
      L.polyline(lay.coastline.map(function (l) { return decode(l, s, dx); }),
        opts({color: "#6f8ea6", weight: 0.8, opacity: 1})).addTo(map);
    }
    map.attributionControl.addAttribution("basemap: Natural Earth");
  }
  function control(map, position, className, html) {
    var ctl = L.control({position: position});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", className);
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    ctl.addTo(map);
  }
  function slider(map, labels, entries) {
    var ctl = L.control({position: "bottomleft"});
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "georange-slider georange-box");
      var title = L.DomUtil.create("div", "georange-slider-title", div);
      title.textContent = "Launch date";
      var input = L.DomUtil.create("input", "", div);
      input.type = "range"; input.min = 0; input.max = labels.length - 1; input.step = 1;
      input.value = labels.length - 1;
      var out = L.DomUtil.create("div", "georange-slider-label", div);
      function update() {
        var v = +input.value;
        out.textContent = labels[v];
        entries.forEach(function (e) {
          var show = e[1] <= v;
          if (show && !map.hasLayer(e[0])) { map.addLayer(e[0]); }
          if (!show && map.hasLayer(e[0])) { map.removeLayer(e[0]); }
        });
      }
      input.addEventListener("input", update);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      out.textContent = labels[labels.length - 1];
      return div;
    };
    ctl.addTo(map);
  }
  return {footprint: footprint, point: point, control: control, slider: slider,
          labels: labels, basemap: basemap, fit: fit};
})();
