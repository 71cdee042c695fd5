// The sign-in popup's last step: hand the session to the embedding page (its origin only), then close.
(() => {
  const data = document.getElementById("embed-session");
  if (!data || !window.opener) return;
  const message = {
    type: "masthead:session",
    token: data.dataset.token,
    expires_at: data.dataset.expiresAt,
    name: data.dataset.name,
    authenticated: true,
  };
  window.opener.postMessage(message, data.dataset.origin);
  document.querySelector("[data-sent]")?.removeAttribute("hidden");
  setTimeout(() => window.close(), 400);
})();
