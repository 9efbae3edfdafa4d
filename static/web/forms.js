/* Small page helpers, no build step. A meeting's decision form shows only the fields of the
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

  /* On a phone a table's rows are shown as stacked cards (app.css); each cell carries its
   * column's heading so the card still says what each value is. Rows added live get theirs too. */
  function label(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (heads[index] && !cell.hasAttribute("colspan")) cell.setAttribute("data-label", heads[index]);
      });
    });
  }

  function labelAll() {
    document.querySelectorAll("table.mdc-data-table__table").forEach(label);
  }

  function all() {
    document.querySelectorAll("form[data-decision-form]").forEach(sync);
    labelAll();
  }

  if (window.MutationObserver) {
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        var table = record.target.closest && record.target.closest("table.mdc-data-table__table");
        if (table && record.addedNodes.length) label(table);
      });
    }).observe(document.documentElement, { childList: true, subtree: true });
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
