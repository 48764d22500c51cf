// My downloads: while a file is being made, ask for its state every few seconds; when it is
// ready, reload once so that its download button appears.
(function () {
  "use strict";
  var EVERY = 3000;

  function watch(row) {
    var timer = window.setInterval(function () {
      window.fetch(row.getAttribute("data-status-url"), {credentials: "same-origin"})
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (state) {
          if (!state) { return; }
          row.querySelector(".export-state").textContent = state.status_label;
          var progress = row.querySelector(".export-progress");
          if (state.rows_total) {
            progress.textContent = state.rows_done.toLocaleString("vi-VN") + " / " +
              state.rows_total.toLocaleString("vi-VN");
          } else if (state.rows_done) {
            progress.textContent = state.rows_done.toLocaleString("vi-VN");
          }
          if (state.finished) {
            window.clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () { /* the next tick tries again */ });
    }, EVERY);
  }

  document.querySelectorAll('tr.export-row[data-finished="false"]').forEach(watch);
})();
