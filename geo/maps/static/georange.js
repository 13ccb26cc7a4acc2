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
  function point(group, spec) {
    OFFSETS.forEach(function (dx) {
      L.circleMarker([spec.lat, spec.lon + dx], spec.style)
        .bindPopup(spec.p, {maxWidth: 420}).bindTooltip(spec.t).addTo(group);
    });
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
  return {footprint: footprint, point: point, control: control, slider: slider};
})();
