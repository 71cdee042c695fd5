// The language switcher (publishing/includes/language_switcher.html): following one of its links
// remembers the choice, so `/` opens that edition next time whatever Accept-Language says.
(function () {
  "use strict";
  var YEAR = 365 * 24 * 60 * 60;
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-language-choice]");
    if (!link) return;
    var code = link.getAttribute("data-language-choice");
    if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/i.test(code)) return;
    document.cookie = "django_language=" + code + "; path=/; max-age=" + YEAR + "; samesite=lax";
  });
})();
