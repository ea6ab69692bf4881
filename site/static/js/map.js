/* Draw the places listed next to each .map element with Leaflet (served from our static files).
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
    var markers = points.map(function (point) {
      var marker = L.marker([point.lat, point.lng], { title: point.title, alt: point.title });
      marker.bindPopup(popupFor(point));
      return marker.addTo(map);
    });
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 8 });
    } else {
      map.setView([0, 0], 1);
    }
    element.dataset.ready = String(markers.length);
  });
})();
