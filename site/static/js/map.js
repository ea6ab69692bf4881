/* Draw the places listed next to each .map element with Leaflet (served from our static files,
 * loaded when the map comes near the screen),
 * and the boundaries of landscapes: a point's own ``boundary`` (a partnership's page), or every
 * polygon of the GeoJSON at ``data-layer-url`` (the directory: simplified boundaries).
 *
 * Progressive enhancement: the page already lists its places; this only adds the map. Popups
 * are built with textContent, never innerHTML, so titles typed by people cannot become markup.
 */
(function () {
  "use strict";
  if (!document.querySelector(".map[data-points]")) { return; }

  // Leaflet (its script and stylesheet) is fetched once, when the first map comes near the
  // screen: a phone that never scrolls to the map never downloads it.
  var leaflet = null;
  function loadLeaflet(element) {
    if (window.L) { return Promise.resolve(); }
    if (leaflet) { return leaflet; }
    leaflet = new Promise(function (resolve, reject) {
      if (element.dataset.leafletStyle) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = element.dataset.leafletStyle;
        document.head.appendChild(link);
      }
      var script = document.createElement("script");
      script.src = element.dataset.leafletScript;
      script.onload = function () { resolve(); };
      script.onerror = function () { leaflet = null; reject(new Error("Leaflet did not load")); };
      document.head.appendChild(script);
    });
    return leaflet;
  }

  // The marker icon from its own static address (hashed in production): Leaflet's default
  // icon guesses its folder from the stylesheet and asks for unhashed names, which 404.
  function markerIcon(element) {
    if (!element.dataset.markerIcon) { return new L.Icon.Default(); }
    return L.icon({
      iconUrl: element.dataset.markerIcon,
      iconRetinaUrl: element.dataset.markerIcon2x,
      shadowUrl: element.dataset.markerShadow,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34],
      tooltipAnchor: [16, -28], shadowSize: [41, 41]
    });
  }

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

  // The points: from ``data-points-url`` when the page names one (a listing: every match, of
  // which the page lists only its own), else from the JSON next to the map.
  function pointsOf(element) {
    var source = document.getElementById(element.dataset.points);
    var inline = source ? JSON.parse(source.textContent) : [];
    if (!element.dataset.pointsUrl || !window.fetch) { return Promise.resolve(inline); }
    return fetch(element.dataset.pointsUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : inline; })
      .catch(function () { return inline; });
  }

  function draw(element, points) {
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
    var icon = markerIcon(element);
    var shapes = [];
    var markers = points.map(function (point) {
      var marker = L.marker([point.lat, point.lng], { title: point.title, alt: point.title, icon: icon });
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
  }

  function start(element) {
    Promise.all([loadLeaflet(element), pointsOf(element)]).then(function (loaded) {
      draw(element, loaded[1]);
    }, function () {
      var status = document.getElementById(element.id + "-status");
      if (status) { status.textContent = element.dataset.tilesFailed; }
    });
  }

  document.querySelectorAll(".map[data-points]").forEach(function (element) {
    // The map is hidden until drawn: watch its section, which holds the list of places.
    var section = element.closest(".map-section") || element.parentNode;
    if (!("IntersectionObserver" in window)) { start(element); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        start(element);
      }
    }, { rootMargin: "400px 0px" });
    observer.observe(section);
  });
})();
