/*
 * Case pages: skip logic, subform rows, and dialogs that reopen after an error.
 * Plain JavaScript, no framework; every page works without it (the server
 * applies the same skip logic and accepts any number of subform rows).
 */
(function () {
  "use strict";

  /* --- Skip logic ----------------------------------------------------------------------
   * A field wrapper carries data-show-if: JSON {cond, types, prefix}. `cond` is the
   * field's show_if condition as the server stores it (equals, in, not_equals, gt, ge,
   * lt, le, exists, all, any, not), where tests of fields not on this form are already
   * decided ({const: true|false}); `types` gives the type of each field it names, so
   * that inputs are read as the server stores values; `prefix` starts the input names
   * (a subform row). The rules are those of sandbox/configuration/conditions.py.
   */
  function readValue(form, name, type) {
    var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    if (!inputs.length) { return null; }
    var first = inputs[0];
    if (type === "tick_box") { return first.checked; }
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { values.push(input.value); }
      } else if (input.tagName === "SELECT" && input.multiple) {
        Array.prototype.forEach.call(input.selectedOptions, function (o) { values.push(o.value); });
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    if (type === "multi_select") { return values; }
    if (!values.length) { return null; }
    if (type === "number") {
      var number = Number(values[0]);
      return values[0].trim() !== "" && Number.isInteger(number) ? number : values[0];
    }
    return values[0];
  }

  function isEmpty(value) {
    return value === null || value === undefined || value === "" ||
      (Array.isArray(value) && value.length === 0);
  }

  function isNumber(value) { return typeof value === "number" && isFinite(value); }

  function same(a, b) {
    if (typeof a === "boolean" || typeof b === "boolean") { return a === b; }
    if (isNumber(a) && isNumber(b)) { return a === b; }
    return typeof a === "string" && typeof b === "string" && a === b;
  }

  function matches(current, wanted) {
    if (Array.isArray(current)) { return current.some(function (v) { return same(v, wanted); }); }
    return same(current, wanted);
  }

  function ordered(current, op, bound) {
    var comparable = (isNumber(current) && isNumber(bound)) ||
      (typeof current === "string" && typeof bound === "string");
    if (!comparable) { return false; }
    if (op === "gt") { return current > bound; }
    if (op === "ge") { return current >= bound; }
    if (op === "lt") { return current < bound; }
    return current <= bound;
  }

  function evaluate(cond, read) {
    if (!cond) { return true; }
    if ("const" in cond) { return cond["const"] === true; }
    if ("all" in cond) { return cond.all.every(function (c) { return evaluate(c, read); }); }
    if ("any" in cond) { return cond.any.some(function (c) { return evaluate(c, read); }); }
    if ("not" in cond) { return !evaluate(cond["not"], read); }
    var current = read(cond.field);
    if ("equals" in cond) { return matches(current, cond.equals); }
    if ("in" in cond) { return (cond["in"] || []).some(function (v) { return matches(current, v); }); }
    if ("not_equals" in cond) { return !matches(current, cond.not_equals); }
    if ("exists" in cond) { return !isEmpty(current) === (cond.exists === true); }
    var ops = ["gt", "ge", "lt", "le"];
    for (var i = 0; i < ops.length; i++) {
      if (ops[i] in cond) { return ordered(current, ops[i], cond[ops[i]]); }
    }
    return true;
  }

  function applySkipLogic(form) {
    // Fields hidden here count as empty for the fields that depend on them (chains),
    // as on the server: repeat until nothing changes.
    var wrappers = Array.prototype.slice.call(form.querySelectorAll("[data-show-if]"));
    var hiddenNames = {};
    for (var round = 0; round <= wrappers.length; round++) {
      var changed = false;
      wrappers.forEach(function (wrapper) {
        var spec;
        try { spec = JSON.parse(wrapper.getAttribute("data-show-if") || "{}"); } catch (e) { spec = {}; }
        var types = spec.types || {};
        var prefix = spec.prefix || "";
        var show = evaluate(spec.cond, function (field) {
          var name = prefix + field;
          return hiddenNames[name] ? null : readValue(form, name, types[field]);
        });
        var name = wrapper.getAttribute("data-field");
        if (name) {
          if (!show !== !!hiddenNames[name]) { changed = true; }
          hiddenNames[name] = !show;
        }
        wrapper.classList.toggle("field-hidden", !show);
        wrapper.setAttribute("aria-hidden", show ? "false" : "true");
      });
      if (!changed) { break; }
    }
  }

  // For tests of the browser's rules against the server's.
  window.sandboxSkipLogic = { evaluate: evaluate };

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
      if (form.querySelector("[data-show-if]")) {
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
