// The ship form: the wards of the chosen province, and the postage from the price list
// when the weight or the province changes (until the clerk types a postage of their own).
(function () {
  "use strict";
  var helpers = document.getElementById("delivery-helpers");
  if (!helpers) { return; }
  var province = document.getElementById("recipient_province_code");
  var ward = document.getElementById("recipient_ward_code");
  var weight = document.getElementById("weight_grams");
  var postage = document.getElementById("postage");
  var typedByHand = postage && postage.value !== "";

  function fillPostage() {
    if (!weight || !postage || typedByHand || !weight.value) { return; }
    var url = helpers.getAttribute("data-postage-url") + "?weight=" + encodeURIComponent(weight.value) +
      "&province=" + encodeURIComponent(province ? province.value : "");
    fetch(url, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer) { postage.value = String(answer.postage); } });
  }

  if (postage) { postage.addEventListener("input", function () { typedByHand = postage.value !== ""; }); }
  if (weight) { weight.addEventListener("input", fillPostage); }
  if (province && ward) {
    window.jQuery(province).on("change", function () {
      fetch(helpers.getAttribute("data-wards-url") + "?province=" + encodeURIComponent(province.value),
            {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) {
          ward.textContent = "";
          var empty = document.createElement("option");
          empty.value = ""; empty.textContent = "—";
          ward.appendChild(empty);
          list.forEach(function (w) {
            var option = document.createElement("option");
            option.value = String(w.code); option.textContent = w.name;
            ward.appendChild(option);
          });
          window.jQuery(ward).trigger("change");
        });
      fillPostage();
    });
  }
  fillPostage();
})();

// The parcel's event form: "delivered" is final (it closes the dossier), so it is recorded
// only after the clerk confirms; the server refuses it without that confirmation.
(function () {
  "use strict";
  var form = document.getElementById("record-event");
  if (!form) { return; }
  var status = document.getElementById("event-status");
  var confirmed = document.getElementById("confirm-delivered");
  form.addEventListener("submit", function (event) {
    confirmed.value = "";
    if (status.value !== "delivered") { return; }
    if (window.confirm(form.getAttribute("data-confirm-delivered"))) {
      confirmed.value = "yes";
    } else {
      event.preventDefault();
    }
  });
})();
