/*
 * Case pages: skip logic, subform rows, and dialogs that reopen after an error.
 * Plain JavaScript, no framework; every page works without it (the server
 * applies the same skip logic and accepts any number of subform rows).
 */
(function () {
  "use strict";

  /* --- Skip logic ----------------------------------------------------------------------
   * A field wrapper carries data-show-if-field (the name of the input it depends on) and
   * data-show-if-values (a JSON list; yes/no as "true"/"false"). It is shown when the
   * input's value, or one of its values, is in the list.
   */
  function currentValues(form, name) {
    var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    var values = [];
    if (!inputs.length) { return values; }
    var first = inputs[0];
    if (first.type === "checkbox" && inputs.length === 1 && (!first.hasAttribute("value") || first.value === "on")) {
      return [first.checked ? "true" : "false"];
    }
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { values.push(input.value); }
      } else if (input.tagName === "SELECT" && input.multiple) {
        Array.prototype.forEach.call(input.selectedOptions, function (o) { values.push(o.value); });
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }

  function applySkipLogic(form) {
    form.querySelectorAll("[data-show-if-field]").forEach(function (wrapper) {
      var wanted;
      try { wanted = JSON.parse(wrapper.getAttribute("data-show-if-values") || "[]"); } catch (e) { wanted = []; }
      var values = currentValues(form, wrapper.getAttribute("data-show-if-field"));
      var show = values.some(function (v) { return wanted.indexOf(v) !== -1; });
      wrapper.classList.toggle("field-hidden", !show);
      wrapper.setAttribute("aria-hidden", show ? "false" : "true");
    });
  }

  /* --- Subform rows --------------------------------------------------------------------
   * Rows are posted as field__<row>__<column>. A new row copies the <template> and
   * replaces __prefix__ with the next free row number.
   */
  function addRow(subform) {
    var template = subform.querySelector("template[data-subform-template]");
    var body = subform.querySelector("[data-subform-rows]");
    if (!template || !body) { return; }
    var index = parseInt(subform.getAttribute("data-next-index") || "0", 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    body.appendChild(row);
    subform.setAttribute("data-next-index", String(index + 1));
    var focusable = row.querySelector("input:not([type=hidden]), select, textarea");
    if (focusable) { focusable.focus(); }
  }

  function init(root) {
    root.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("[data-show-if-field]")) {
        applySkipLogic(form);
        form.addEventListener("change", function () { applySkipLogic(form); });
        form.addEventListener("input", function () { applySkipLogic(form); });
      }
    });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-subform-add]");
    if (add) {
      event.preventDefault();
      addRow(add.closest("[data-subform]"));
      var form = add.closest("form");
      if (form) { applySkipLogic(form); }
      return;
    }
    var remove = event.target.closest("[data-subform-remove]");
    if (remove) {
      event.preventDefault();
      var row = remove.closest("[data-subform-row]");
      var owner = remove.closest("form");
      if (row) { row.remove(); }
      if (owner) { applySkipLogic(owner); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    // A dialog whose form came back with errors opens again, with what was typed.
    var dialog = document.querySelector(".modal[data-open-on-load]");
    if (dialog && window.bootstrap) {
      window.bootstrap.Modal.getOrCreateInstance(dialog).show();
    }
  });
})();
