// Handover screens: pick dossiers (ticks, select all, barcode scanner) and confirm batches.
// No inline handlers (the CSP forbids them): everything is wired here from data- attributes.
(function () {
  "use strict";

  function refresh(form) {
    var picks = form.querySelectorAll("input.pick");
    var chosen = form.querySelectorAll("input.pick:checked").length;
    form.querySelector(".selected-count").textContent = chosen;
    form.querySelector(".send-batch").disabled = chosen === 0;
    var all = form.querySelector("input.select-all");
    all.checked = chosen > 0 && chosen === picks.length;
    all.indeterminate = chosen > 0 && chosen < picks.length;
    picks.forEach(function (box) {
      box.closest("tr").classList.toggle("table-active", box.checked);
    });
  }

  document.querySelectorAll("form.handover-group").forEach(function (form) {
    form.querySelector("input.select-all").addEventListener("change", function (event) {
      form.querySelectorAll("input.pick").forEach(function (box) {
        box.checked = event.target.checked;
      });
      refresh(form);
    });
    form.addEventListener("change", function (event) {
      if (event.target.classList.contains("pick")) { refresh(form); }
    });
    refresh(form);
  });

  var scanner = document.getElementById("scanner");
  function log(text, kind) {
    var line = document.createElement("li");
    line.className = "scan-" + kind + (kind === "ok" ? " text-success" : " text-danger");
    line.textContent = text;
    var list = document.getElementById("scan-log");
    list.insertBefore(line, list.firstChild);
  }
  function message(name, code) {
    return scanner.getAttribute("data-msg-" + name).replace("%(code)s", code);
  }
  function add(code) {
    var row = document.querySelector('tr[data-code="' + CSS.escape(code) + '"]');
    if (row) {
      var box = row.querySelector("input.pick");
      if (box.checked) { log(message("again", code), "again"); return; }
      box.checked = true;
      refresh(row.closest("form"));
      row.scrollIntoView({block: "nearest"});
      log(message("added", code), "ok");
      return;
    }
    var url = scanner.getAttribute("data-scan-url") + "?code=" + encodeURIComponent(code);
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        log(answer.ok ? message("reload", code) : answer.message, "refused");
      })
      .catch(function () { log(message("failed", code), "refused"); });
  }
  if (scanner) {
    document.getElementById("scan-code").addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();  // a scanner's Enter must not submit anything
      var code = event.target.value.trim().toUpperCase();  // codes are stored upper-case
      event.target.value = "";
      if (code) { (scanner.hasAttribute("data-check-batch") ? check : add)(code); }
    });
  }

  // Confirming a batch: a scanned (or typed) code ticks its row; a code not in the batch is named.
  function countChecked() {
    var shown = document.querySelector(".checked-count");
    if (shown) { shown.textContent = document.querySelectorAll("input.seen-box:checked").length; }
  }
  function check(code) {
    var wanted = code.toUpperCase();
    var row = Array.prototype.find.call(
      document.querySelectorAll("#confirm-batch tr[data-code]"),
      function (r) { return r.getAttribute("data-code").toUpperCase() === wanted; }
    );
    if (!row) { log(message("stranger", code), "stranger"); return; }
    var box = row.querySelector("input.seen-box");
    var known = row.getAttribute("data-code");
    if (box.checked) { log(message("again", known), "again"); return; }
    box.checked = true;
    row.classList.add("table-success");
    countChecked();
    row.scrollIntoView({block: "nearest"});
    log(message("ticked", known), "ok");
  }

  // Confirming a batch: ask once more when some dossiers are marked missing.
  var confirmForm = document.getElementById("confirm-batch");
  if (confirmForm) {
    confirmForm.addEventListener("submit", function (event) {
      var missing = confirmForm.querySelectorAll("input.missing-box:checked").length;
      if (!missing) { return; }
      var question = confirmForm.getAttribute("data-confirm-missing").replace("%(count)s", missing);
      if (!window.confirm(question)) { event.preventDefault(); }
    });
    confirmForm.addEventListener("change", function (event) {
      var row = event.target.closest("tr");
      if (event.target.classList.contains("missing-box")) {
        row.classList.toggle("text-danger", event.target.checked);
        var reason = row.querySelector("input[name^='note-']");
        reason.required = event.target.checked;  // a missing dossier says why
        reason.placeholder = event.target.checked ? reason.getAttribute("data-reason-placeholder") : "";
      }
      if (event.target.classList.contains("seen-box")) {
        row.classList.toggle("table-success", event.target.checked);
        countChecked();
      }
    });
  }
})();
