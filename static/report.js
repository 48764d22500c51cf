// Charts of the dashboard and the reports page: data from the JSON block, drawn by Chart.js.
(function () {
  "use strict";
  var COLOURS = ["#1f6fb2", "#e07b24", "#2a9d5b", "#8e44ad"];

  function draw(spec) {
    var canvas = document.querySelector('canvas[data-chart="' + spec.id + '"]');
    if (!canvas) { return; }
    var stacked = spec.kind === "stacked";
    var line = spec.kind === "line";
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return {label: s.label, data: s.data, backgroundColor: COLOURS[i], borderColor: COLOURS[i],
                  spanGaps: true, tension: 0.2, pointRadius: 2};
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {x: {stacked: stacked}, y: {stacked: stacked, beginAtZero: true, suggestedMax: line ? 100 : undefined}},
        plugins: {legend: {position: "bottom", labels: {boxWidth: 12}}}
      }
    });
    canvas.setAttribute("data-drawn", "1");
  }

  var holder = document.getElementById("chart-data");
  if (holder && window.Chart) {
    JSON.parse(holder.textContent).forEach(draw);
  }

  // A preset period shows its days in "From"/"To" at once (the server put them on the option).
  document.querySelectorAll(".report-form select[data-period-prefix]").forEach(function (select) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var prefix = select.getAttribute("data-period-prefix");
      if (!option || !option.hasAttribute("data-from")) { return; }
      [["from", "data-from"], ["to", "data-to"]].forEach(function (pair) {
        var input = document.getElementById(prefix + pair[0]);
        if (input) {
          input.value = option.getAttribute(pair[1]);
          input.classList.remove("is-invalid");
        }
      });
    });
  });

  // Typing days means custom days: switch the period chooser next to them.
  document.querySelectorAll(".report-form input[name$='from'], .report-form input[name$='to']").forEach(function (input) {
    input.addEventListener("input", function () {
      var prefix = input.name.slice(0, input.name.length - (input.name.slice(-4) === "from" ? 4 : 2));
      var select = document.getElementById(prefix === "b_" ? "against" : prefix + "preset");
      if (select) { select.value = "custom"; }
    });
  });
})();
