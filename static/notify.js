// Messages to applicants. No inline scripts (the CSP forbids them).
// 1. The receipt form: SMS ticked when the result goes by post, email when an address is
//    typed — until the clerk ticks or unticks a box themselves.
// 2. The template editor: the SMS length counted live (placeholders at their widest, as the
//    server counts), characters outside GSM-7 named, and the preview asked of the server.
(function () {
  "use strict";

  function receiptDefaults() {
    var boxes = document.querySelectorAll("input[name=notify]");
    if (!boxes.length) { return; }
    var touched = false;
    function box(value) {
      for (var i = 0; i < boxes.length; i++) { if (boxes[i].value === value) { return boxes[i]; } }
      return null;
    }
    Array.prototype.forEach.call(boxes, function (b) {
      b.addEventListener("change", function () { touched = true; });
    });
    var method = document.getElementById("return_method");
    var email = document.getElementById("applicant_email");
    function apply() {
      if (touched) { return; }
      var sms = box("sms"), mail = box("email");
      if (sms && method) { sms.checked = method.value === "post"; }
      if (mail && email) { mail.checked = email.value.trim().indexOf("@") > 0; }
    }
    // Not on load: a form shown again after a refusal keeps what the clerk ticked.
    // The select is Select2's: its changes come as jQuery events, not native ones.
    if (method && window.jQuery) { window.jQuery(method).on("change", apply); }
    if (email) { email.addEventListener("input", apply); }
  }

  var GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM_EXT = "^{}\\[~]|€\f";

  function widest(text, widths) {
    var filled = text.replace(/\{([^{}]*)\}/g, function (_m, name) {
      return new Array((widths[name] || 0) + 1).join("x");
    });
    var n = 0;
    for (var i = 0; i < filled.length; i++) { n += GSM_EXT.indexOf(filled[i]) >= 0 ? 2 : 1; }
    return n;
  }

  function outside(text) {
    var bare = text.replace(/\{([^{}]*)\}/g, ""), bad = [];
    for (var i = 0; i < bare.length; i++) {
      var ch = bare[i];
      if (GSM.indexOf(ch) < 0 && GSM_EXT.indexOf(ch) < 0 && bad.indexOf(ch) < 0) { bad.push(ch); }
    }
    return bad;
  }

  function editor() {
    var panel = document.getElementById("template-tools");
    var body = document.getElementById("body");
    if (!panel || !body) { return; }
    var channel = panel.getAttribute("data-channel");
    var widths = JSON.parse(panel.getAttribute("data-widths") || "{}");
    var limit = parseInt(panel.getAttribute("data-limit") || "160", 10);
    var counter = document.getElementById("sms-counter");
    var subject = document.getElementById("subject");
    function count() {
      if (!counter || channel !== "sms") { return; }
      var n = widest(body.value, widths), bad = outside(body.value);
      var text = panel.getAttribute("data-count-label").replace("{n}", n).replace("{limit}", limit);
      if (bad.length) { text += " " + panel.getAttribute("data-gsm-label") + " " + bad.join(" "); }
      counter.textContent = text;
      var wrong = n > limit || bad.length > 0;
      counter.className = wrong ? "small text-danger font-weight-bold" : "small text-muted";
      body.setAttribute("aria-invalid", wrong ? "true" : "false");
    }
    body.addEventListener("input", count);
    count();
    var button = document.getElementById("preview-button");
    var out = document.getElementById("preview-text");
    var problems = document.getElementById("preview-problems");
    if (!button || !out) { return; }
    button.addEventListener("click", function () {
      var data = new FormData();
      data.append("channel", channel);
      data.append("body", body.value);
      data.append("subject", subject ? subject.value : "");
      var token = document.querySelector("input[name=csrf_token]");
      if (token) { data.append("csrf_token", token.value); }
      fetch(panel.getAttribute("data-preview-url"), {method: "POST", body: data, credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          out.textContent = (answer.subject ? answer.subject + "\n\n" : "") + answer.text;
          var list = Object.keys(answer.problems || {}).map(function (k) { return answer.problems[k]; });
          problems.textContent = list.join(" ");
        });
    });
  }

  receiptDefaults();
  editor();
})();
