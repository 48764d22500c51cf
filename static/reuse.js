// The receipt form's offer of the applicant's still-valid digitized documents (Decree 45/2020):
// typing the ID number lists them for the chosen procedure; one click each reuses one.
// No inline scripts (the CSP forbids them).
(function () {
  "use strict";
  var details = document.getElementById("procedure-details");
  var idNumber = document.getElementById("applicant_id_number");
  var procedure = document.getElementById("procedure_type");
  if (!details || !idNumber || !procedure) { return; }
  var url = details.getAttribute("data-reuse-url");
  var panel = document.createElement("div");
  panel.id = "reuse-offers";
  panel.className = "mb-3";
  details.parentNode.insertBefore(panel, details.nextSibling);
  var chosen = {};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function tick(name) {
    Array.prototype.forEach.call(document.querySelectorAll("input[name=documents]"), function (box) {
      if (box.value === name) { box.checked = true; }
    });
  }

  function choose(offer, button, labels) {
    chosen[offer.file_id] = true;
    panel.appendChild(el("input", {type: "hidden", name: "reuse_file_ids", value: String(offer.file_id)}));
    button.disabled = true;
    button.textContent = labels.reused;
    button.className = "btn btn-success btn-sm ml-2";
    tick(offer.document);
  }

  function render(answer) {
    panel.textContent = "";
    if (!answer.items.length) { return; }
    var box = el("fieldset", {"class": "border rounded p-2 border-info"});
    box.appendChild(el("legend", {"class": "h6 w-auto px-1"}, answer.labels.title));
    answer.items.forEach(function (offer) {
      var line = el("div", {"class": "mb-1 reuse-offer", "data-file-id": String(offer.file_id)});
      line.appendChild(el("span", {}, offer.document + " (" + offer.pages + " " + answer.labels.pages +
        ", " + answer.labels.valid_until + " " + offer.valid_until + ")"));
      var button = el("button", {type: "button", "class": "btn btn-outline-info btn-sm ml-2"}, answer.labels.reuse);
      button.addEventListener("click", function () { choose(offer, button, answer.labels); });
      line.appendChild(button);
      if (chosen[offer.file_id]) { choose(offer, button, answer.labels); }
      box.appendChild(line);
    });
    panel.appendChild(box);
  }

  var last = "";
  function look() {
    var id = idNumber.value.trim(), proc = procedure.value;
    var key = id + "|" + proc;
    if (key === last) { return; }
    last = key;
    chosen = {};
    if (!proc || id.length < 9) { panel.textContent = ""; return; }
    fetch(url + "?procedure=" + encodeURIComponent(proc) + "&id_number=" + encodeURIComponent(id),
          {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {items: []}; })
      .then(render);
  }

  idNumber.addEventListener("input", look);
  idNumber.addEventListener("change", look);
  window.jQuery(procedure).on("change", function () { setTimeout(look, 300); });
  look();
}());
