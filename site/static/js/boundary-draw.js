/* A small drawing tool for a partnership's boundary (no plugin): click the map, or move it
 * with the arrow keys and press "Add a corner at the centre"; "Finish the shape" writes a
 * GeoJSON Polygon, closed and in longitude-latitude order, into the form's paste box. The
 * server validates it like any upload; without JavaScript the box and the file field remain.
 */
(function () {
  "use strict";
  var section = document.getElementById("boundary-draw");
  if (!section || typeof L === "undefined") { return; }
  var target = document.getElementById(section.dataset.target);
  var status = document.getElementById("boundary-draw-status");
  var element = document.getElementById("boundary-draw-map");
  var source = document.getElementById(section.dataset.points);
  var points = source ? JSON.parse(source.textContent) : [];
  section.hidden = false;

  var map = L.map(element, { scrollWheelZoom: false, keyboard: true });
  if (section.dataset.tileUrl) {
    L.tileLayer(section.dataset.tileUrl, {
      attribution: section.dataset.tileAttribution, maxZoom: 18
    }).addTo(map);
  }
  var existing = null;
  points.forEach(function (point) {
    if (point.boundary) {
      existing = L.geoJSON(point.boundary, { style: { color: "#5a6b5e", weight: 1, dashArray: "4" } }).addTo(map);
    }
  });
  if (existing) {
    map.fitBounds(existing.getBounds().pad(0.2));
  } else if (points.length) {
    map.setView([points[0].lat, points[0].lng], 10);
  } else {
    map.setView([0, 0], 2);
  }

  var corners = [];
  var outline = L.polyline([], { color: "#7a1f00" }).addTo(map);
  var shape = null;

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  function say(text) { if (status) { status.textContent = text; } }

  function redraw() {
    outline.setLatLngs(corners);
    say(section.dataset.messageCorners.replace("%(count)s", String(corners.length)));
  }

  function add(latlng) {
    if (shape) { map.removeLayer(shape); shape = null; }
    var wrapped = latlng.wrap();
    corners.push(L.latLng(wrapped.lat, wrapped.lng));
    redraw();
  }

  map.on("click", function (event) { add(event.latlng); });

  section.addEventListener("click", function (event) {
    var action = event.target.dataset && event.target.dataset.draw;
    if (!action) { return; }
    if (action === "centre") { add(map.getCenter()); }
    if (action === "undo") { corners.pop(); redraw(); }
    if (action === "clear") {
      corners = [];
      if (shape) { map.removeLayer(shape); shape = null; }
      redraw();
    }
    if (action === "finish" && corners.length >= 3) {
      var ring = corners.map(function (c) { return [round(c.lng), round(c.lat)]; });
      ring.push(ring[0].slice());
      var geometry = { type: "Polygon", coordinates: [ring] };
      shape = L.geoJSON(geometry, { style: { color: "#7a1f00" } }).addTo(map);
      outline.setLatLngs([]);
      corners = [];
      target.value = JSON.stringify(geometry);
      say(section.dataset.messageDone);
    } else if (action === "finish") {
      redraw();
    }
  });
})();
