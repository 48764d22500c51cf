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
      if (type === "number") { input.setAttribute("step", "any"); }
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
  if (province && ward) {
    // Searchable pickers (select2, applied by Flask-Admin's form.js after this file).
    province.setAttribute("data-role", "select2");
    ward.setAttribute("data-role", "select2");
    window.jQuery(province).on("change", function () {
      var url = box.getAttribute("data-info-url").replace("procedure-info/", "wards/");
      fetch(url + "?province=" + encodeURIComponent(province.value), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) {
          ward.textContent = "";
          ward.appendChild(el("option", {value: ""}, "—"));
          list.forEach(function (w) { ward.appendChild(el("option", {value: String(w.code)}, w.name)); });
          window.jQuery(ward).trigger("change");
        });
    });
  }
})();
