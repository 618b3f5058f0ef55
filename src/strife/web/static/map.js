// The events map: points from the page's JSON block, tiles from the map_tiles setting.
// Popups are built from DOM text nodes, never from HTML strings, so no field of an
// event can inject markup.
(function () {
  "use strict";
  var element = document.getElementById("map");
  var data = document.getElementById("map-points");
  if (!element || !data || typeof L === "undefined") {
    return;
  }
  var points = JSON.parse(data.textContent || "[]");
  var map = L.map(element, { worldCopyJump: true });
  var tiles = element.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: element.dataset.attribution || "" }).addTo(map);
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/events/" + encodeURIComponent(point.id);
    link.textContent = point.id;
    box.appendChild(link);
    var lines = [point.date, point.category, point.place,
      point.fatalities === null ? "" : point.fatalities + " killed"];
    lines.forEach(function (text) {
      if (text) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(text));
      }
    });
    return box;
  }

  var bounds = [];
  points.forEach(function (point) {
    var radius = 4 + Math.min(12, Math.sqrt(point.fatalities || 0));
    L.circleMarker([point.lat, point.lon], { radius: radius, weight: 1 })
      .bindPopup(popup(point))
      .addTo(map);
    bounds.push([point.lat, point.lon]);
  });
  if (bounds.length) {
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 9 });
  } else {
    map.setView([20, 0], 2);
  }
})();
