// The donate form: amounts and interval in the page, the card in a Stripe.js Card Element.
// Flow: POST the donation (server creates Customer + SetupIntent [+ PaymentIntent]), confirm the card
// with stripe.confirmCardSetup, then ask the server to charge it; money counts once Stripe's webhook says so.
(function () {
  "use strict";
  // Words from Django's JavaScript catalog (loaded before this script); English without it.
  var gettext = window.gettext || function (text) { return text; };
  var form = document.getElementById("donate-form");
  if (!form || typeof window.Stripe !== "function") { return; }
  var errorBox = form.querySelector(".donate__error");
  var submit = form.querySelector(".donate__submit");
  var submitLabel = submit.textContent;
  var stripe = window.Stripe(form.dataset.publishableKey);
  var card = stripe.elements({ locale: document.documentElement.lang || "auto" }).create("card", { hidePostalCode: false });
  card.mount("#card-element");

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  // A refused field says so itself: aria-invalid, and its message tied to it by aria-describedby.
  var FIELD_INPUTS = { amount: "custom", custom: "custom", email: "email", name: "name", message: "message" };
  function clearFieldErrors() {
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid=true]"), function (input) {
      input.removeAttribute("aria-invalid");
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id.indexOf("-error") === -1;
      });
      if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); }
      else { input.removeAttribute("aria-describedby"); }
    });
    Array.prototype.forEach.call(form.querySelectorAll(".donate__field-error"), function (node) { node.remove(); });
  }
  function showFieldErrors(fields) {
    var first = null;
    Object.keys(fields || {}).forEach(function (key) {
      var input = form.elements[FIELD_INPUTS[key] || key];
      if (!input || !input.setAttribute) { return; }
      var id = "donate-" + input.name + "-error";
      var note = document.createElement("span");
      note.className = "donate__field-error";
      note.id = id;
      note.textContent = fields[key];
      input.after(note);
      input.setAttribute("aria-invalid", "true");
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(id);
      input.setAttribute("aria-describedby", described.join(" "));
      first = first || input;
    });
    if (first) { first.focus(); }
    return first;
  }

  function minorFromText(text, exponent) {
    text = text.trim().replace(/,/g, "");
    if (!/^\d+(\.\d+)?$/.test(text)) { return null; }
    var parts = text.split(".");
    var fraction = parts[1] || "";
    if (fraction.length > exponent) { return null; }
    while (fraction.length < exponent) { fraction += "0"; }
    return parseInt(parts[0] + fraction, 10);
  }

  function amount() {
    var custom = form.elements.custom.value;
    if (custom.trim()) {
      var exponent = parseInt(form.dataset.exponent || "2", 10);
      return minorFromText(custom, exponent);
    }
    var preset = form.querySelector("input[name=preset]:checked");
    return preset ? parseInt(preset.value, 10) : null;
  }

  async function postJson(url, body, headers) {
    var response = await fetch(url, {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json" }, headers || {}),
      body: JSON.stringify(body),
      credentials: "same-origin"
    });
    var data = await response.json().catch(function () { return {}; });
    return { ok: response.ok, status: response.status, data: data };
  }

  function firstMessage(data) {
    if (data && data.fields) {
      var keys = Object.keys(data.fields);
      if (keys.length) { return data.fields[keys[0]]; }
    }
    return (data && data.message) || gettext("Something went wrong; please try again.");
  }

  var idempotencyKey = null;

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    showError("");
    clearFieldErrors();
    var value = amount();
    if (!value) {
      var text = gettext("Choose or enter an amount.");
      showError(text);
      showFieldErrors({ custom: text });
      return;
    }
    submit.disabled = true;
    submit.textContent = gettext("Processing…");
    idempotencyKey = idempotencyKey || (Date.now().toString(36) + Math.random().toString(36).slice(2));
    try {
      var created = await postJson(form.dataset.api, {
        amount: value,
        interval: form.querySelector("input[name=interval]:checked").value,
        email: form.elements.email.value,
        name: form.elements.name.value,
        anonymous: form.elements.anonymous.checked,
        message: form.elements.message.value,
        source_url: form.dataset.sourceUrl || null
      }, { "Idempotency-Key": idempotencyKey });
      if (!created.ok) {
        if (!showFieldErrors(created.data && created.data.fields)) { submit.focus(); }
        throw new Error(firstMessage(created.data));
      }
      var setup = await stripe.confirmCardSetup(created.data.client_secret, {
        payment_method: { card: card, billing_details: { email: form.elements.email.value } }
      });
      if (setup.error) {
        idempotencyKey = null;
        throw new Error(setup.error.message || gettext("Your card was declined."));
      }
      var confirmed = await postJson(form.dataset.confirm + created.data.donation_id + "/confirm", {
        client_secret: created.data.client_secret
      });
      if (!confirmed.ok) { idempotencyKey = null; throw new Error(firstMessage(confirmed.data)); }
      if (confirmed.data.requires_action && confirmed.data.action_client_secret) {
        var action = await stripe.confirmCardPayment(confirmed.data.action_client_secret);
        if (action.error) { throw new Error(action.error.message || gettext("Authentication failed.")); }
      }
      form.hidden = true;
      var thanks = document.getElementById("donate-thanks");
      thanks.hidden = false;
      thanks.focus();
    } catch (error) {
      showError(error.message);
    } finally {
      submit.disabled = false;
      submit.textContent = submitLabel;
    }
  });
})();
