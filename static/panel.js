// The panel's one script for what Flask-Admin's templates did with inline handlers
// (inline event attributes and script URLs), which the Content Security Policy refuses to run.
// Our template overrides carry data- attributes instead; this file gives them life.
(function () {
  "use strict";

  // Links that only trigger a script must not navigate (to "#" or to a blocked script URL).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href='#'], a[href^='javascript:']");
    if (link) { event.preventDefault(); }
  }, true);

  // Confirmation before destructive actions: <button data-confirm="Question?">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // Bulk actions of a list ("With selected" menu): <a data-model-action="name">.
  document.addEventListener("click", function (event) {
    var item = event.target.closest("[data-model-action]");
    if (item && window.modelActions) {
      window.modelActions.execute(item.getAttribute("data-model-action"));
    }
  });

  // select2 and the date picker in the user's language (texts from the page, see client_text.py).
  var holder = document.getElementById("client-text");
  var text = holder ? JSON.parse(holder.getAttribute("data-text")) : null;
  var $ = window.jQuery;
  if (text && $ && $.fn.select2 && $.fn.select2.defaults) {
    $.extend($.fn.select2.defaults, {
      formatNoMatches: function () { return text.select2.noMatches; },
      formatSearching: function () { return text.select2.searching; },
      formatLoadMore: function () { return text.select2.loadMore; },
      formatInputTooShort: function (input, min) {
        return text.select2.inputTooShort.replace("{n}", String(min - input.length));
      }
    });
  }
  // daterangepicker.js comes after this file: wrap it when it arrives, adding our locale
  // (Vietnamese names, Monday first) to every picker Flask-Admin's form.js makes.
  if (text && $) {
    var picker;
    Object.defineProperty($.fn, "daterangepicker", {
      configurable: true,
      get: function () { return picker; },
      set: function (original) {
        picker = function (options, callback) {
          var locale = $.extend({}, text.datepicker);
          var format = locale.format;  // DD/MM/YYYY, whatever the browser's language
          delete locale.format;
          options = $.extend({locale: locale}, options);
          // Flask-Admin's list filters and date-time fields ask for ISO; people read and
          // type dd/mm/yyyy (the server takes both).
          var shown = {"YYYY-MM-DD": format, "YYYY-MM-DD HH:mm:ss": format + " HH:mm"}[options.format];
          if (shown) {
            options.format = shown;
            this.each(function () { this.value = dayMonthYear(this.value); });
            this.attr("data-date-format", shown).attr("placeholder", shown.replace("DD/MM/YYYY", "dd/mm/yyyy").replace("HH:mm", "hh:mm"));
          }
          return original.call(this, options, callback);
        };
      }
    });
  }

  // Days an older link wrote yyyy-mm-dd, shown as dd/mm/yyyy (the server reads both).
  function dayMonthYear(value) {
    return String(value || "")
      .replace(/\b(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(:\d{2})?/g, "$3/$2/$1 $4:$5")
      .replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, "$3/$2/$1");
  }

  // "Add <inline list item>" buttons of a form: <a data-inline-add="field_id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-inline-add]");
    if (button && window.faForm) {
      window.faForm.addInlineField(button, button.getAttribute("data-inline-add"));
    }
  });
})();
