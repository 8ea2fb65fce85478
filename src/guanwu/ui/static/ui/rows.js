/* Child rows of a record's form (ui/_rows.html): add / remove rows; an input with data-hs-code
   (a goods line's HS code) looks up the tariff to show its name and fill the empty name and unit
   (8 digits: the first code). */
(function () {
  "use strict";

  function renumber(table) {
    table.querySelectorAll("tbody tr[data-line]").forEach(function (tr, i) {
      const cell = tr.querySelector("[data-line-no]");
      if (cell) cell.textContent = String(i + 1);
    });
  }

  function lookup(code) {
    if (code.length === 10) {
      return fetch("/api/v1/tariff/" + encodeURIComponent(code), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; });
    }
    return fetch("/api/v1/tariff?limit=1&q=" + encodeURIComponent(code), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { return data && data.items && data.items.length ? data.items[0] : null; });
  }

  function fillFromTariff(input) {
    const row = input.closest("tr");
    const hint = row.querySelector("[data-hs-name]");
    const code = input.value.replace(/\D/g, "");
    if (hint) hint.textContent = "";
    if (code.length !== 8 && code.length !== 10) return;
    lookup(code).then(function (item) {
      if (!item) { if (hint) hint.textContent = "税则中没有此编号"; return; }
      if (hint) hint.textContent = item.name;
      const name = row.querySelector('input[name$="g_name"]');
      if (name && !name.value) name.value = item.name;
      const unit = row.querySelector("select[name=line_unit]");
      if (unit && unit.tomselect && !unit.tomselect.getValue() && item.first_unit) {
        unit.tomselect.addOption({code: item.first_unit, name: item.first_unit_name || item.first_unit});
        unit.tomselect.setValue(item.first_unit, true);
      }
    }).catch(function () {});
  }

  document.addEventListener("click", function (ev) {
    const add = ev.target.closest("[data-add-line]");
    if (add) {
      const template = document.getElementById(add.dataset.addLine);
      const table = add.closest("form").querySelector("table[data-goods-lines]");
      const row = template.content.firstElementChild.cloneNode(true);
      table.querySelector("tbody").appendChild(row);
      if (window.guanwu && window.guanwu.init) window.guanwu.init(row);
      renumber(table);
      const first = row.querySelector("input:not([type=hidden])");
      if (first) first.focus();
      return;
    }
    const remove = ev.target.closest("[data-remove-line]");
    if (remove) {
      const table = remove.closest("table");
      const row = remove.closest("tr");
      if (table.querySelectorAll("tbody tr[data-line]").length > 1) {
        row.remove();
      } else {
        row.querySelectorAll("input").forEach(function (i) { i.value = ""; });
        row.querySelectorAll("select").forEach(function (s) { if (s.tomselect) s.tomselect.clear(true); });
      }
      renumber(table);
    }
  });

  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("input[data-hs-code]")) fillFromTariff(ev.target);
  });
})();
