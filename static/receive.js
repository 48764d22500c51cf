// The counter's receipt form: the chosen procedure's documents and extra fields,
// and the wards of the chosen province. No inline scripts (the CSP forbids them).
(function () {
  "use strict";
  var box = document.getElementById("procedure-details");
  if (!box) { return; }
  var submitted = JSON.parse(box.getAttribute("data-submitted") || "{}");
  // The receipt rules' messages for the checklist and extra fields, shown next to them.
  var errors = JSON.parse(box.getAttribute("data-errors") || "{}");

  // Lay the form out in sections: procedure and receipt on the left, applicant on the right
  // (one column on narrow screens). Runs before select2 dresses the fields.
  function arrangeSections() {
    var form = box.parentNode;  // Flask-Admin's <fieldset> of the form's rules
    var headers = Array.prototype.filter.call(form.children, function (n) { return n.tagName === "H3"; });
    if (headers.length !== 3) { return; }
    var row = el("div", {"class": "row receipt-layout"});
    var left = el("div", {"class": "col-lg-6"}), right = el("div", {"class": "col-lg-6"});
    form.insertBefore(row, headers[0]);
    row.appendChild(left);
    row.appendChild(right);
    headers.forEach(function (header, i) {
      header.id = "receipt-section-" + i;
      var section = el("section", {"class": "receipt-section" + (i === 1 ? " receipt-two-up" : ""),
                                   "aria-labelledby": header.id});
      var node = header;
      while (node && node.tagName !== "HR" && (node === header || node.tagName !== "H3")) {
        var next = node.nextElementSibling;
        section.appendChild(node);
        node = next;
      }
      (i === 1 ? right : left).appendChild(section);
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function extraInput(field) {
    var name = "extra_" + field.key, id = "extra-" + field.key, input;
    var value = submitted[name] || "";
    if (field.type === "choice") {
      input = el("select", {name: name, id: id, "class": "form-control"});
      input.appendChild(el("option", {value: ""}, "—"));
      field.choices.forEach(function (c) {
        var option = el("option", {value: c}, c);
        if (c === value) { option.selected = true; }
        input.appendChild(option);
      });
    } else {
      var type = field.type === "number" ? "number" : "text";  // days typed dd/mm/yyyy
      input = el("input", {name: name, id: id, type: type, "class": "form-control", value: value});
      if (type === "number") { input.setAttribute("step", "any"); input.setAttribute("min", "0"); }
      if (field.type === "date") { input.setAttribute("placeholder", "dd/mm/yyyy"); }
    }
    if (field.required) { input.setAttribute("required", "required"); }
    var group = el("div", {"class": "form-group"});
    var label = group.appendChild(el("label", {"for": id}, field.label));
    if (field.required) {
      label.appendChild(document.createTextNode(" "));
      label.appendChild(el("strong", {"class": "text-danger"}, "*"));
    }
    group.appendChild(input);
    var error = errors["extra." + field.key];
    if (error) {
      input.classList.add("is-invalid");
      input.setAttribute("aria-describedby", id + "-error");
      group.appendChild(el("div", {"class": "invalid-feedback", id: id + "-error"}, error));
    }
    return group;
  }

  function render(info) {
    box.textContent = "";
    box.appendChild(el("p", {"class": "text-muted"}, info.labels.time));
    var docs = el("fieldset", {"class": "border rounded p-2 mb-2", id: "documents-checklist"});
    docs.appendChild(el("legend", {"class": "h6 w-auto px-1"}, info.labels.documents));
    info.documents.forEach(function (d, i) {
      var id = "doc-" + i, wrap = el("div", {"class": "form-check"});
      var box_ = el("input", {type: "checkbox", name: "documents", value: d.name, id: id, "class": "form-check-input"});
      if ((submitted.documents || []).indexOf(d.name) >= 0) { box_.checked = true; }
      wrap.appendChild(box_);
      wrap.appendChild(el("label", {"for": id, "class": "form-check-label"}, d.name + " (" + d.kind + ", " + d.quantity + ")"));
      // The document's scan (optional): one PDF, JPEG, PNG or TIFF, digitized after the receipt.
      var scan = el("input", {type: "file", name: "scan_" + i, id: "scan-" + i, "class": "form-control-file form-control-sm scan-input",
                              accept: "application/pdf,image/jpeg,image/png,image/tiff", "aria-label": info.labels.scan + ": " + d.name});
      wrap.appendChild(scan);
      docs.appendChild(wrap);
    });
    if (errors.documents) {
      docs.classList.add("border-danger");
      docs.appendChild(el("div", {"class": "text-danger small", id: "documents-error"}, errors.documents));
    }
    box.appendChild(docs);
    if (info.extra_fields.length) {
      var extra = el("fieldset", {"class": "border rounded p-2", id: "extra-fields"});
      extra.appendChild(el("legend", {"class": "h6 w-auto px-1"}, info.labels.extra));
      info.extra_fields.forEach(function (f) { extra.appendChild(extraInput(f)); });
      box.appendChild(extra);
    }
  }

  function load(id) {
    if (!id) { box.textContent = ""; return; }
    fetch(box.getAttribute("data-info-url") + "?id=" + encodeURIComponent(id), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (info) { if (info) { render(info); } });
  }

  arrangeSections();

  var procedure = document.getElementById("procedure_type");
  if (procedure) {
    window.jQuery(procedure).on("change", function () { load(procedure.value); });
    load(procedure.value);
  }

  var province = document.getElementById("applicant_province_code");
  var ward = document.getElementById("applicant_ward_code");
  // The wards of the chosen province as the ward select's options (a promise).
  function loadWards(code) {
    var url = box.getAttribute("data-info-url").replace("procedure-info/", "wards/");
    return fetch(url + "?province=" + encodeURIComponent(code), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) {
        ward.textContent = "";
        ward.appendChild(el("option", {value: ""}, "—"));
        list.forEach(function (w) { ward.appendChild(el("option", {value: String(w.code)}, w.name)); });
      });
  }
  if (province && ward) {
    // Searchable pickers (select2, applied by Flask-Admin's form.js after this file).
    province.setAttribute("data-role", "select2");
    ward.setAttribute("data-role", "select2");
    window.jQuery(province).on("change", function () {
      loadWards(province.value).then(function () { window.jQuery(ward).trigger("change"); });
    });
  }

  // The chip ID card's QR code, typed by a USB 2D scanner: the server reads and checks it
  // (vietnam/cccd.py) and says what to fill; a card that disagrees with itself fills nothing.
  var scan = document.getElementById("cccd-scan");
  var qr = document.getElementById("cccd-qr");
  var result = document.getElementById("cccd-result");
  function setField(name, value) {
    var input = document.getElementById(name);
    if (input) { input.value = value; }
  }
  function show(answer) {
    result.textContent = "";
    var alert = el("div", {"class": "alert mt-2 mb-0 " + (answer.ok ? "alert-success" : "alert-warning"),
                           id: answer.ok ? "cccd-filled" : "cccd-warning"});
    if (answer.message) { alert.appendChild(el("div", {"class": "font-weight-bold"}, answer.message)); }
    if (answer.summary) { alert.appendChild(el("div", {}, answer.summary)); }
    var items = (answer.mismatches || []).concat(answer.notes || []);
    if (items.length) {
      var list = el("ul", {"class": "mb-0"});
      items.forEach(function (text) { list.appendChild(el("li", {}, text)); });
      alert.appendChild(list);
    }
    result.appendChild(alert);
  }
  function fill(fields) {
    ["applicant_name", "applicant_id_number", "applicant_street"].forEach(function (name) {
      setField(name, fields[name]);
    });
    if (!province || !fields.applicant_province_code) { return; }
    province.value = fields.applicant_province_code;
    window.jQuery(province).trigger("change.select2");  // the display only, not the loader
    loadWards(province.value).then(function () {
      ward.value = fields.applicant_ward_code || "";
      window.jQuery(ward).trigger("change");
    });
  }
  function read(text) {
    var token = document.querySelector("input[name=csrf_token]");
    fetch(scan.getAttribute("data-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token ? token.value : ""},
      body: JSON.stringify({text: text})
    })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        show(answer);
        if (answer.ok) { fill(answer.fields); }
      });
  }
  if (scan && qr) {
    var timer = null;
    function done() {
      window.clearTimeout(timer);
      var text = qr.value.trim();
      if (text) { qr.value = ""; read(text); }
    }
    qr.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();  // the scanner's Enter must not submit the receipt
      done();
    });
    // Scanners set to send no Enter: a whole card (seven parts) that stops arriving.
    qr.addEventListener("input", function () {
      window.clearTimeout(timer);
      if ((qr.value.match(/\|/g) || []).length >= 6) { timer = window.setTimeout(done, 400); }
    });
  }
})();
