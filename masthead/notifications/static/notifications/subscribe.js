// Enhances the "follow this discussion" form: posts to the JSON API and answers in place.
// Without JavaScript the form posts to /notifications/subscribe/ and shows a page instead.
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };
  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }
  document.querySelectorAll("form.subscribe-form").forEach(function (form) {
    if (form.dataset.enhanced) { return; }
    form.dataset.enhanced = "1";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = form.querySelector(".subscribe-form__status");
      var button = form.querySelector("button");
      button.disabled = true;
      var headers = { "Content-Type": "application/json" };
      var token = cookie("csrftoken");
      if (token) { headers["X-CSRFToken"] = token; }
      fetch(form.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: headers,
        body: JSON.stringify({
          thread_id: Number(form.dataset.thread),
          email: form.elements.email.value,
          kind: form.elements.kind.value
        })
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        status.textContent = result.ok
          ? gettext("Thanks. If this address needs confirming, we have sent it a link.")
          : (result.body && result.body.message) || gettext("Something went wrong; please try again.");
      }).catch(function () {
        status.textContent = gettext("Something went wrong; please try again.");
      }).then(function () { button.disabled = false; });
    });
  });
})();
