// The events map: points (or grid cells, when many) fetched from /api/events/map with
// the page's filters, tiles from the map_tiles setting. Popups are built from DOM text
// nodes, never from HTML strings, so no field of an event can inject markup.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !element.dataset.source || typeof L === "undefined") {
    return;
  }
  var map = L.map(element, { worldCopyJump: true });
  var tiles = element.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: element.dataset.attribution || "" }).addTo(map);
  }
  map.setView([20, 0], 2);

  function box(link, lines) {
    var div = document.createElement("div");
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      div.appendChild(anchor);
    }
    lines.forEach(function (text) {
      if (text) {
        if (div.firstChild) {
          div.appendChild(document.createElement("br"));
        }
        div.appendChild(document.createTextNode(text));
      }
    });
    return div;
  }

  function killed(fatalities) {
    return fatalities === null || fatalities === undefined ? "" : fatalities + " killed";
  }

  function draw(overview) {
    var bounds = [];
    (overview.points || []).forEach(function (point) {
      var radius = 4 + Math.min(12, Math.sqrt(point.fatalities || 0));
      var link = { href: "/events/" + encodeURIComponent(point.id), text: point.id };
      L.circleMarker([point.lat, point.lon], { radius: radius, weight: 1 })
        .bindPopup(box(link, [point.date, point.category, point.place, killed(point.fatalities)]))
        .addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    // A cell is drawn at its events' mean position, sized by how many it holds.
    (overview.cells || []).forEach(function (cell) {
      var radius = 4 + Math.min(16, Math.sqrt(cell.events));
      var text = cell.events + " events in this " + overview.cell_degrees + "° cell";
      L.circleMarker([cell.lat, cell.lon], { radius: radius, weight: 1, fillOpacity: 0.5 })
        .bindPopup(box(null, [text, killed(cell.fatalities)]))
        .addTo(map);
      bounds.push([cell.lat, cell.lon]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 9 });
    }
  }

  fetch(element.dataset.source, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("map data: HTTP " + response.status);
      }
      return response.json();
    })
    .then(draw)
    .catch(function (error) {
      element.appendChild(box(null, ["The map could not be loaded (" + error.message + ")."]));
    });
})();
