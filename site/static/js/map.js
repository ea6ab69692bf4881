/* Draw the places listed next to each .map element with Leaflet (served from our static files),
 * and the boundaries of landscapes: a point's own ``boundary`` (a partnership's page), or every
 * polygon of the GeoJSON at ``data-layer-url`` (the directory: simplified boundaries).
 *
 * Progressive enhancement: the page already lists every place; this only adds the map. Popups
 * are built with textContent, never innerHTML, so titles typed by people cannot become markup.
 */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function popupFor(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.title;
    box.appendChild(link);
    if (point.country) {
      var where = document.createElement("p");
      where.textContent = point.country;
      box.appendChild(where);
    }
    return box;
  }

  document.querySelectorAll(".map[data-points]").forEach(function (element) {
    var source = document.getElementById(element.dataset.points);
    var points = source ? JSON.parse(source.textContent) : [];
    var status = document.getElementById(element.id + "-status");
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false, worldCopyJump: true });
    if (element.dataset.tileUrl) {
      var tiles = L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution, maxZoom: 18
      });
      var warned = false;
      tiles.on("tileerror", function () {
        if (!warned && status) { status.textContent = element.dataset.tilesFailed; warned = true; }
      });
      tiles.addTo(map);
    }
    var style = { color: "#2f6b3f", weight: 2, fillOpacity: 0.15 };
    var shapes = [];
    var markers = points.map(function (point) {
      var marker = L.marker([point.lat, point.lng], { title: point.title, alt: point.title });
      marker.bindPopup(popupFor(point));
      if (point.boundary) {
        shapes.push(L.geoJSON(point.boundary, { style: style }).bindPopup(popupFor(point)).addTo(map));
      }
      return marker.addTo(map);
    });
    if (element.dataset.layerUrl && window.fetch) {
      fetch(element.dataset.layerUrl, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (layer) {
          if (!layer) { return; }
          L.geoJSON(layer, {
            style: style,
            filter: function (feature) { return feature.geometry && feature.geometry.type !== "Point"; },
            onEachFeature: function (feature, shape) {
              shape.bindPopup(popupFor({ url: feature.properties.url, title: feature.properties.name }));
            }
          }).addTo(map);
          element.dataset.boundaries = "ready";
        });
    }
    if (shapes.length) {
      map.fitBounds(L.featureGroup(shapes).getBounds().pad(0.2));
    } else if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 8 });
    } else {
      map.setView([0, 0], 1);
    }
    element.dataset.ready = String(markers.length);
  });
})();
