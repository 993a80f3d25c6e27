// comptrace serve: suggestions as you type in the finding form. Served from the binary (the
// pages forbid inline script); the form works the same without it. Each field with a
// data-suggest attribute asks /suggest for names the catalogue already knows and offers them
// through the field's <datalist>.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var fields = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(fields, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) return;
      timer = setTimeout(function () {
        var url = "/suggest?kind=" + encodeURIComponent(input.getAttribute("data-suggest")) +
          "&q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (names) {
            while (list.firstChild) list.removeChild(list.firstChild);
            names.forEach(function (name) {
              var option = document.createElement("option");
              option.value = name; // a property, never markup
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  });
});
