// Filters for the measures table: plain DOM, no library, so the file works offline.
(function () {
  "use strict";
  var table = document.getElementById("measures-table");
  if (!table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var search = document.getElementById("filter-text");
  var shown = document.getElementById("filter-count");
  var ALL = "*"; // not a possible value: "" is the region of articles naming no place

  function apply() {
    var query = search.value.trim();
    var n = 0;
    rows.forEach(function (row) {
      var keep = selects.every(function (s) {
        return s.value === ALL || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
      });
      if (keep && query) keep = row.textContent.indexOf(query) !== -1;
      row.hidden = !keep;
      if (keep) n += 1;
    });
    shown.textContent = String(n);
  }

  selects.forEach(function (s) { s.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  document.getElementById("filter-reset").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ALL; });
    search.value = "";
    apply();
  });
  // "All figures of this region" links in the region sections preset the region filter.
  document.querySelectorAll("a[data-show-region]").forEach(function (a) {
    a.addEventListener("click", function () {
      selects.forEach(function (s) {
        var f = s.getAttribute("data-filter");
        s.value = f === "region" ? a.getAttribute("data-show-region") : ALL;
      });
      search.value = "";
      apply();
    });
  });
  apply();
})();
