/* Small form helpers, no build step. A meeting's decision form shows only the fields of the
 * kind of decision chosen; without this script every field stays visible and the form works. */
(function () {
  "use strict";
  if (window.ActionOfficeForms) return;

  function sync(form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) return;
    form.querySelectorAll("[data-for-kind]").forEach(function (fieldset) {
      fieldset.hidden = fieldset.getAttribute("data-for-kind") !== kind.value;
    });
  }

  function all() {
    document.querySelectorAll("form[data-decision-form]").forEach(sync);
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-decision-form]");
    if (form) sync(form);
  });
  document.addEventListener("turbo:load", all);
  if (document.readyState !== "loading") all();
  else document.addEventListener("DOMContentLoaded", all);
  window.ActionOfficeForms = { sync: sync };
})();
