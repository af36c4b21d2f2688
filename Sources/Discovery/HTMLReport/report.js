// report.html's only script: filtering the API catalog. Everything else in the page works without it.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var text = document.getElementById("filter-text");
  var method = document.getElementById("filter-method");
  var area = document.getElementById("filter-area");
  var auth = document.getElementById("filter-auth");
  var count = document.getElementById("filter-count");
  var endpoints = Array.prototype.slice.call(document.querySelectorAll("#catalog .endpoint"));
  var areas = Array.prototype.slice.call(document.querySelectorAll("#catalog .area"));

  function apply() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    endpoints.forEach(function (endpoint) {
      var data = endpoint.dataset;
      var visible =
        (!method.value || data.method === method.value) &&
        (!area.value || data.area === area.value) &&
        (!auth.value || data.auth.split(" ").indexOf(auth.value) >= 0) &&
        words.every(function (word) { return data.text.indexOf(word) >= 0; });
      endpoint.hidden = !visible;
      if (visible) shown += 1;
    });
    areas.forEach(function (group) {
      group.hidden = !group.querySelector(".endpoint:not([hidden])");
    });
    count.value = shown + " of " + endpoints.length + " endpoints";
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
