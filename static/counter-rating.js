// The counter tablet: every few seconds ask which dossier waits for a rating, and reload
// the page when it is not the one shown (a new receipt or return by the clerk, or the
// one shown was rated elsewhere). No inline script: the CSP allows none.
(function () {
  "use strict";
  var EVERY = 3000;
  var card = document.getElementById("counter-rating");
  if (!card) { return; }
  var shown = card.getAttribute("data-shown");

  window.setInterval(function () {
    window.fetch(card.getAttribute("data-current-url"), {credentials: "same-origin"})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        var waiting = state.current ? state.current.code + "|" + state.current.stage : "";
        if (waiting !== shown) { window.location.reload(); }
      })
      .catch(function () { /* the next tick tries again */ });
  }, EVERY);
})();
