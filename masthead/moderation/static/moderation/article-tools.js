// Staff moderation on the article page. The page is cached and the same for everyone, so this script
// asks GET /api/v1/threads/{id}/me who is reading, and adds buttons only for moderators.
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-moderation-thread]");
  if (!script) return;
  var threadId = script.getAttribute("data-moderation-thread");
  if (!/^\d+$/.test(threadId || "")) return;

  // Words from Django's JavaScript catalog (the page loads it first); English without it.
  var gettext = window.gettext || function (text) { return text; };
  var pgettext = window.pgettext || function (context, text) { return text; };

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function act(commentId, decision, button) {
    var reason = "";
    if (decision === "remove") {
      reason = window.prompt(gettext("Reason for removal (sent to the author):"), "") ;
      if (reason === null) return;
    }
    button.disabled = true;
    fetch("/api/v1/moderation/comments/" + commentId + "/" + decision, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({ reason: reason || "" })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      button.disabled = false;
      var status = button.parentNode.querySelector(".mod-tools__status");
      if (!result.ok) { status.textContent = result.body.message || gettext("Not allowed."); return; }
      status.textContent = decision === "pin" ? pgettext("comment status", "pinned") : decision === "unpin" ? pgettext("comment status", "unpinned") : pgettext("comment status", result.body.status);
      var comment = document.getElementById("comment-" + commentId);
      if (comment && (decision === "remove" || decision === "spam")) comment.classList.add("mod-tools--hidden");
    }).catch(function () { button.disabled = false; });
  }

  function addTools(comment) {
    var match = /^comment-(\d+)$/.exec(comment.id || "");
    if (!match || comment.querySelector(":scope > .mod-tools")) return;
    var bar = document.createElement("div");
    bar.className = "mod-tools";
    [["remove", gettext("Remove")], ["spam", gettext("Spam")], ["pin", gettext("Pin")], ["unpin", gettext("Unpin")]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mod-tools__button mod-tools__button--" + pair[0];
      button.textContent = pair[1];
      button.addEventListener("click", function () { act(match[1], pair[0], button); });
      bar.appendChild(button);
    });
    var status = document.createElement("span");
    status.className = "mod-tools__status";
    status.setAttribute("role", "status");
    bar.appendChild(status);
    comment.appendChild(bar);
  }

  // One GET /me per page and thread, shared with discussion.js and inline.js (see discussion.js).
  var asked = (window.mastheadMe = window.mastheadMe || {});
  if (!asked[threadId]) {
    asked[threadId] = fetch("/api/v1/threads/" + threadId + "/me", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("GET /me: " + response.status);
        return response.json();
      });
  }
  asked[threadId]
    .then(function (me) {
      if (!(me && (me.is_moderator || me.can_moderate || me.is_staff))) return;
      var apply = function () { document.querySelectorAll('[id^="comment-"]').forEach(addTools); };
      apply();
      // Comments loaded later ("Load more", replies) get their tools too.
      new MutationObserver(apply).observe(document.body, { childList: true, subtree: true });
    })
    .catch(function () {});
})();
