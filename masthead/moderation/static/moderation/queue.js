// The moderation queue: j/k to move, a/r/s to approve/remove/spam the focused comment, x to select.
// Row decisions are sent with fetch so the moderator keeps their place; without JS the forms post.
(function () {
  "use strict";
  var root = document.querySelector(".mq");
  if (!root) return;
  var rows = Array.prototype.slice.call(root.querySelectorAll("[data-mq-row]"));
  var current = -1;
  var FETCHED = { approve: 1, remove: 1, spam: 1, pin: 1, unpin: 1 };

  function focusRow(index) {
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (rows[current]) rows[current].classList.remove("is-focused");
    current = index;
    rows[current].classList.add("is-focused");
    rows[current].focus({ preventScroll: true });
    rows[current].scrollIntoView({ block: "nearest", behavior: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  }

  // Words from Django's JavaScript catalog (loaded before this script); English without it.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, count) { return count === 1 ? one : many; };
  var pgettext = window.pgettext || function (context, text) { return text; };
  var interpolate = window.interpolate || function (format, values) { return format.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); }); };

  function nextOpenRow(from) {
    for (var i = from + 1; i < rows.length; i++) if (!rows[i].classList.contains("is-done")) return i;
    return from;
  }

  function updateSelected() {
    var count = root.querySelectorAll('input[name="comment"][form="mq-bulk"]:checked').length;
    var label = root.querySelector("[data-mq-selected]");
    if (label) label.textContent = interpolate(ngettext("%(count)s selected", "%(count)s selected", count), { count: count }, true);
  }

  function flash(text, isError) {
    document.dispatchEvent(new CustomEvent("w-messages:add", { detail: { clear: true, text: text, type: isError ? "error" : "success" } }));
  }

  function decide(row, form, decision) {
    var data = new FormData(form);
    data.set("decision", decision);
    row.setAttribute("aria-busy", "true");
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (result) {
        row.removeAttribute("aria-busy");
        if (!result.ok) { flash((result.body.errors || [gettext("Could not save the decision.")]).join(" "), true); return; }
        var status = row.querySelector(".mq-status");
        var labels = {
          approve: pgettext("comment status", "approved"),
          remove: pgettext("comment status", "removed"),
          spam: pgettext("comment status", "spam"),
          pin: pgettext("comment status", "pinned"),
          unpin: pgettext("comment status", "unpinned")
        };
        var done = {
          approve: gettext("Comment approved."),
          remove: gettext("Comment removed."),
          spam: gettext("Comment marked as spam."),
          pin: gettext("Comment pinned."),
          unpin: gettext("Comment unpinned.")
        };
        if (status) status.textContent = labels[decision] || decision;
        if (decision !== "pin" && decision !== "unpin") row.classList.add("is-done");
        flash(done[decision] || decision, false);
        var index = rows.indexOf(row);
        if (index === current && decision !== "pin" && decision !== "unpin") focusRow(nextOpenRow(index));
      })
      .catch(function () { row.removeAttribute("aria-busy"); form.submit(); });
  }

  rows.forEach(function (row, index) {
    var form = row.querySelector(".mq-actions");
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      var decision = button && button.value;
      if (!decision || !FETCHED[decision]) return;
      event.preventDefault();
      decide(row, form, decision);
    });
    row.addEventListener("click", function (event) {
      if (event.target.closest("a, button, input, select, summary, details")) return;
      focusRow(index);
    });
  });

  var selectAll = root.querySelector("[data-mq-select-all]");
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      root.querySelectorAll('input[name="comment"][form="mq-bulk"]').forEach(function (box) { box.checked = selectAll.checked; });
      updateSelected();
    });
  }
  root.addEventListener("change", function (event) {
    if (event.target.matches('input[name="comment"]')) updateSelected();
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var key = event.key;
    if (key === "j") { focusRow(current + 1); event.preventDefault(); return; }
    if (key === "k") { focusRow(current - 1); event.preventDefault(); return; }
    var row = rows[current];
    if (!row) return;
    if (key === "x") {
      var box = row.querySelector('input[name="comment"]');
      box.checked = !box.checked; updateSelected(); event.preventDefault(); return;
    }
    var button = row.querySelector('[data-mq-key="' + key + '"]');
    if (button) { event.preventDefault(); decide(row, row.querySelector(".mq-actions"), button.value); }
  });
  if (rows.length) focusRow(0);
})();

// Live: new pending and reported comments are announced (docs/live.md); reloading shows them.
(function () {
  "use strict";
  var root = document.querySelector(".mq");
  if (!root || !window.EventSource) return;
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, count) { return count === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) { return format.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); }); };
  var seen = {};
  var count = 0;
  var bar = document.createElement("p");
  bar.className = "mq-live help-block help-info";
  bar.setAttribute("role", "status");
  bar.hidden = true;
  var link = document.createElement("a");
  link.href = location.href;
  bar.appendChild(link);
  root.insertBefore(bar, root.firstChild);
  function heard(event) {
    var data;
    try { data = JSON.parse(event.data); } catch (error) { return; }
    var key = event.type + ":" + data.id;
    if (seen[key]) return;
    seen[key] = true;
    count += 1;
    link.textContent = interpolate(ngettext("%(count)s new in the queue — reload", "%(count)s new in the queue — reload", count), { count: count }, true);
    bar.hidden = false;
  }
  var source = new EventSource("/api/v1/moderation/events");
  source.addEventListener("pending", heard);
  source.addEventListener("reported", heard);
})();
