/* Inline feedback on the article page: markers on commented passages, editor-prompt bubbles, and
 * (when the article allows it) "Comment on this" for a reader's selection. Plain JS, no build.
 *
 * Data: GET /api/v1/threads/{id}/annotations (W3C AnnotationCollection, resolved server-side per
 * published revision); posting: POST /api/v1/threads/{id}/comments with a `target`. Every reader text
 * is inserted with textContent, never as HTML.
 */
(() => {
  "use strict";

  const configNode = document.getElementById("inline-feedback-config");
  const body = document.querySelector("[data-article-body]");
  if (!configNode || !body) return;
  const config = JSON.parse(configNode.textContent);
  const API = config.api || "/api/v1";
  // Words from Django's JavaScript catalog (loaded before this script); English without it.
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((one, many, count) => (count === 1 ? one : many));
  const interpolate = window.interpolate || ((format, values) => format.replace(/%\((\w+)\)s/g, (_, name) => String(values[name])));
  const TEXT_BLOCKS = ".block--paragraph, .block--heading, .block--pull_quote, .block--feedback_prompt";
  let annotations = [];
  let me = null;

  // --- helpers ---------------------------------------------------------------------------------

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name === "text") node.textContent = value;
      else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };

  const cookie = (name) => {
    const found = document.cookie.split("; ").find((part) => part.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  };

  // One GET /me per page and thread, shared with discussion.js and the moderators' tools (see there).
  function sharedMe(threadId, ask) {
    const asked = (window.mastheadMe = window.mastheadMe || {});
    if (!asked[threadId]) asked[threadId] = ask();
    return asked[threadId];
  }

  async function call(method, path, payload, retried = false) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (payload !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    // The cookie first: it is what the server compares with, and another script's /me (or a sign-in
    // in another tab) may have replaced it since this script's /me brought its token.
    if (method !== "GET") options.headers["X-CSRFToken"] = cookie("csrftoken") || (me && me.csrf_token) || "";
    const response = await fetch(API + path, options);
    let data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (!response.ok) {
      // Refused for a token that changed at the moment it was sent: the write did nothing, send it once more.
      if (method !== "GET" && !retried && data && data.error === "csrf_failed") return call(method, path, payload, true);
      const failure = new Error((data && data.message) || gettext("Something went wrong; please try again."));
      failure.data = data;
      throw failure;
    }
    return data;
  }

  // Readers who ask for less motion get jumps, not smooth scrolling.
  const reducedMotion = () => window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const plainText = (html) => new DOMParser().parseFromString(html || "", "text/html").body.textContent || "";
  const squash = (text) => text.replace(/\s+/g, "");
  const selectorOf = (target, type) => ((target && target.selector) || []).find((item) => item.type === type) || null;
  const blockIdOf = (target) => {
    const css = selectorOf(target, "CssSelector");
    const match = css && /data-block-id="([^"]+)"/.exec(css.value || "");
    return match ? match[1] : "";
  };

  function fragmentLink(quote) {
    const words = quote.split(/\s+/).filter(Boolean);
    const part = (text) => encodeURIComponent(text).replace(/-/g, "%2D");
    if (!words.length) return location.href;
    const fragment = words.length <= 8 ? part(words.join(" ")) : `${part(words.slice(0, 4).join(" "))},${part(words.slice(-4).join(" "))}`;
    return `${location.origin}${location.pathname}#:~:text=${fragment}`;
  }

  // --- finding a passage in the page -----------------------------------------------------------

  /** Text nodes of `root` (outside our own UI) with the non-whitespace characters they hold. */
  function textIndex(root) {
    const chars = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement.closest("[data-inline-ui]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let node;
    while ((node = walker.nextNode())) {
      const value = node.nodeValue;
      for (let offset = 0; offset < value.length; offset += 1) {
        if (!/\s/.test(value[offset])) chars.push({ node, offset, char: value[offset] });
      }
    }
    return { chars, text: chars.map((item) => item.char).join("") };
  }

  /** A Range over `exact` inside `root`, ignoring whitespace differences; context picks among repeats. */
  function findRange(root, exact, prefix, suffix) {
    const index = textIndex(root);
    const wanted = squash(exact);
    if (!wanted) return null;
    let best = -1;
    let bestScore = -1;
    const before = squash(prefix || "");
    const after = squash(suffix || "");
    for (let at = index.text.indexOf(wanted); at !== -1; at = index.text.indexOf(wanted, at + 1)) {
      let score = 0;
      while (score < before.length && index.text[at - 1 - score] === before[before.length - 1 - score]) score += 1;
      let tail = 0;
      while (tail < after.length && index.text[at + wanted.length + tail] === after[tail]) tail += 1;
      if (score + tail > bestScore) { best = at; bestScore = score + tail; }
    }
    if (best === -1) return null;
    const first = index.chars[best];
    const last = index.chars[best + wanted.length - 1];
    const range = document.createRange();
    range.setStart(first.node, first.offset);
    range.setEnd(last.node, last.offset + 1);
    return range;
  }

  /** Wrap every text segment of `range` in <mark>; returns the marks in document order. */
  function wrapRange(range, className) {
    const marks = [];
    const nodes = [];
    const walker = document.createTreeWalker(range.commonAncestorContainer.nodeType === 1 ? range.commonAncestorContainer : range.commonAncestorContainer.parentNode, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) if (range.intersectsNode(node)) nodes.push(node);
    for (const textNode of nodes) {
      let target = textNode;
      const start = textNode === range.startContainer ? range.startOffset : 0;
      const end = textNode === range.endContainer ? range.endOffset : textNode.nodeValue.length;
      if (end <= start || !textNode.nodeValue.slice(start, end).trim()) continue;
      if (start > 0) target = target.splitText(start);
      if (end - start < target.nodeValue.length) target.splitText(end - start);
      const mark = el("mark", { class: className });
      target.parentNode.insertBefore(mark, target);
      mark.append(target);
      marks.push(mark);
    }
    return marks;
  }

  // --- popover: the comments on a passage, or a prompt's answers, and a form ------------------------

  let openPanel = null;
  function closePanel(restoreFocus = true) {
    if (!openPanel) return;
    const { panel, opener, block } = openPanel;
    panel.remove();
    if (opener) opener.setAttribute("aria-expanded", "false");
    openPanel = null;
    if (!restoreFocus) return;
    // Back to the button that opened the panel; for a selection (whose button is gone), to the
    // paragraph the passage is in, so the keyboard continues where the reader was.
    if (opener && document.contains(opener) && !opener.hidden) opener.focus();
    else if (block && document.contains(block)) {
      block.setAttribute("tabindex", "-1");
      block.focus();
    }
  }

  function commentCard(item) {
    const id = (item.id || "").split("#comment-")[1];
    const quote = (selectorOf(item.target, "TextQuoteSelector") || {}).exact || "";
    const card = el("li", { class: "inline-panel__comment" },
      // Readers' names and words keep their own direction inside a panel of either direction.
      el("p", { class: "inline-panel__author" }, el("bdi", { text: (item.creator && item.creator.name) || "" })),
      el("p", { class: "inline-panel__body", dir: "auto", text: plainText(item.body && item.body.value) }));
    const links = el("p", { class: "inline-panel__links" });
    if (id) links.append(el("a", { href: `#comment-${id}`, text: item.replyCount ? interpolate(gettext("Replies (%(count)s)"), { count: item.replyCount }, true) : gettext("Reply in the discussion") }));
    const share = el("a", { href: fragmentLink(quote), class: "inline-panel__share", text: gettext("Share passage") });
    share.addEventListener("click", (event) => {
      event.preventDefault();
      if (navigator.clipboard) navigator.clipboard.writeText(share.href).catch(() => {});
      share.textContent = gettext("Link copied");
    });
    links.append(share);
    card.append(links);
    return card;
  }

  function showPanel(anchorNode, opener, { heading, quote, items, target, placeholder }) {
    closePanel(false);
    const panel = el("section", { class: "inline-panel", "data-inline-ui": true, role: "dialog", "aria-label": heading });
    const close = el("button", { type: "button", class: "inline-panel__close", "aria-label": gettext("Close"), text: "×" });
    close.addEventListener("click", () => closePanel());
    panel.append(close, el("h3", { class: "inline-panel__heading", text: heading }));
    if (quote) panel.append(el("blockquote", { class: "inline-panel__quote", dir: "auto", text: quote }));
    if (items && items.length) {
      const list = el("ul", { class: "inline-panel__list" });
      for (const item of items) list.append(commentCard(item));
      panel.append(list);
    }
    if (config.open && target) panel.append(commentForm(target, placeholder, opener));
    else if (!config.open) panel.append(el("p", { class: "inline-panel__note", text: gettext("Comments are closed for this article.") }));
    const block = anchorNode.closest(".block") || anchorNode;
    block.after(panel);
    if (opener) opener.setAttribute("aria-expanded", "true");
    openPanel = { panel, opener, block };
    (panel.querySelector("textarea") || close).focus();
    return panel;
  }

  function commentForm(target, placeholder, opener) {
    const form = el("form", { class: "inline-form", novalidate: true });
    const textarea = el("textarea", { name: "body", dir: "auto", rows: "3", required: true, "aria-label": placeholder, placeholder, maxlength: "5000" });
    form.append(textarea);
    const needsIdentity = !(me && me.authenticated);
    const name = el("input", { name: "name", type: "text", dir: "auto", maxlength: "50", autocomplete: "name", value: (me && me.name) || "", "aria-label": gettext("Your name"), placeholder: gettext("Name") });
    const email = el("input", { name: "email", type: "email", maxlength: "254", autocomplete: "email", value: (me && me.email) || "", "aria-label": gettext("Email (never shown)"), placeholder: gettext("Email (never shown)") });
    if (needsIdentity) form.append(el("div", { class: "inline-form__identity" }, name, email));
    const status = el("p", { class: "inline-form__status", role: "status", "aria-live": "polite" });
    const submit = el("button", { type: "submit", class: "button", text: gettext("Post comment") });
    form.append(el("div", { class: "inline-form__actions" }, submit), status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      submit.disabled = true;
      status.textContent = gettext("Posting…");
      const payload = { body: textarea.value, target };
      if (needsIdentity) { payload.name = name.value; payload.email = email.value; }
      try {
        const comment = await call("POST", `/threads/${config.threadId}/comments`, payload);
        textarea.value = "";
        status.textContent = comment.status === "approved" ? gettext("Thank you! Your comment was posted.") : gettext("Thank you! Your comment is awaiting moderation.");
        if (comment.status === "approved") {
          annotations.push(asAnnotation(comment, payload));
          render();
        }
        document.dispatchEvent(new CustomEvent("discussion:posted", { detail: comment }));
      } catch (error) {
        status.textContent = error.message;
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function asAnnotation(comment, payload) {
    return {
      id: `${location.origin}${location.pathname}#comment-${comment.id}`,
      type: "Annotation",
      creator: { type: "Person", name: comment.author ? comment.author.name : "" },
      body: { type: "TextualBody", value: comment.html, format: "text/html" },
      target: comment.target || payload.target,
      anchorState: "anchored",
      replyCount: 0,
    };
  }

  // --- markers on commented passages ------------------------------------------------------------

  function clearMarks() {
    for (const node of body.querySelectorAll("[data-inline-ui].inline-marker")) node.remove();
    for (const mark of body.querySelectorAll("mark.inline-mark")) {
      const parent = mark.parentNode;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      mark.remove();
      parent.normalize();
    }
  }

  function render() {
    clearMarks();
    const groups = new Map();
    for (const item of annotations) {
      if (item.anchorState === "orphaned" || (item.target && item.target.prompt)) continue;
      const quote = selectorOf(item.target, "TextQuoteSelector");
      if (!quote) continue;
      const key = `${blockIdOf(item.target)}|${squash(quote.exact)}`;
      if (!groups.has(key)) groups.set(key, { quote, blockId: blockIdOf(item.target), items: [] });
      groups.get(key).items.push(item);
    }
    for (const group of groups.values()) {
      const scope = (group.blockId && body.querySelector(`[data-block-id="${CSS.escape(group.blockId)}"]`)) || body;
      const range = findRange(scope, group.quote.exact, group.quote.prefix, group.quote.suffix) || (scope !== body && findRange(body, group.quote.exact, group.quote.prefix, group.quote.suffix));
      if (!range) continue;
      const marks = wrapRange(range, "inline-mark");
      if (!marks.length) continue;
      const count = group.items.length;
      const label = interpolate(ngettext("%(count)s comment on this passage", "%(count)s comments on this passage", count), { count }, true);
      const marker = el("button", { type: "button", class: "inline-marker", "data-inline-ui": true, "aria-expanded": "false", "aria-label": label, title: label, "data-count": String(count) });
      const open = () => showPanel(marker, marker, {
        heading: label,
        quote: group.quote.exact,
        items: group.items,
        target: highlightTarget(group.quote.exact, group.quote.prefix, group.quote.suffix, group.blockId),
        placeholder: gettext("Add your comment on this passage"),
      });
      marker.addEventListener("click", () => (openPanel && openPanel.opener === marker ? closePanel() : open()));
      for (const mark of marks) mark.addEventListener("click", open);
      marks[marks.length - 1].after(marker);
    }
    renderPrompts();
  }

  // --- editor prompts ---------------------------------------------------------------------------

  function renderPrompts() {
    for (const prompt of body.querySelectorAll("[data-inline-prompt]")) {
      const block = prompt.closest("[data-block-id]");
      if (!block) continue;
      const blockId = block.getAttribute("data-block-id");
      const passage = prompt.getAttribute("data-passage") || "";
      const question = prompt.getAttribute("data-question") || "";
      const answers = annotations.filter((item) => item.target && item.target.prompt === blockId);
      let mark = prompt.querySelector("mark.inline-prompt__passage");
      if (!mark && passage) {
        const range = findRange(prompt, passage, "", "");
        const marks = range ? wrapRange(range, "inline-prompt__passage") : [];
        mark = marks[marks.length - 1] || null;
      }
      const staticBubble = prompt.querySelector(".inline-prompt__bubble");
      if (staticBubble) staticBubble.hidden = true;
      let bubble = prompt.querySelector("button.inline-bubble");
      if (!bubble) {
        bubble = el("button", { type: "button", class: "inline-bubble", "data-inline-ui": true, "aria-expanded": "false" });
        bubble.addEventListener("click", () => {
          if (openPanel && openPanel.opener === bubble) return closePanel();
          const current = annotations.filter((item) => item.target && item.target.prompt === blockId);
          showPanel(prompt, bubble, {
            heading: question,
            quote: passage,
            items: current,
            target: { prompt: blockId },
            placeholder: gettext("Your answer"),
          });
        });
        const paragraph = (mark && mark.closest("p, li")) || prompt.firstElementChild || prompt;
        paragraph.append(" ", bubble);
      }
      bubble.replaceChildren(
        el("span", { class: "inline-bubble__question", text: question }),
        el("span", { class: "inline-bubble__count", text: interpolate(ngettext("%(count)s answer", "%(count)s answers", answers.length), { count: answers.length }, true) }),
      );
    }
  }

  // --- reader highlights: "Comment on this" -----------------------------------------------------

  function highlightTarget(exact, prefix, suffix, blockId) {
    const selector = [{ type: "TextQuoteSelector", exact, prefix: prefix || "", suffix: suffix || "" }];
    if (blockId) selector.push({ type: "CssSelector", value: `[data-block-id="${blockId}"]` });
    return { selector };
  }

  const action = el("button", { type: "button", class: "inline-action", "data-inline-ui": true, hidden: true, text: gettext("Comment on this") });
  let pending = null;

  function selectionTarget() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    const startBlock = (range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement).closest(TEXT_BLOCKS);
    const endBlock = (range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement).closest(TEXT_BLOCKS);
    if (!startBlock || !endBlock || !body.contains(startBlock) || !body.contains(endBlock)) return null;
    const exact = selection.toString().trim();
    if (!exact || exact.length > 1000) return null;
    const before = document.createRange();
    before.setStart(startBlock, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const after = document.createRange();
    after.setStart(range.endContainer, range.endOffset);
    after.setEndAfter(endBlock);
    return {
      block: endBlock,
      exact,
      target: highlightTarget(exact, before.toString().slice(-32), after.toString().slice(0, 32), startBlock.getAttribute("data-block-id")),
      rect: range.getBoundingClientRect(),
    };
  }

  function updateAction() {
    pending = selectionTarget();
    if (!pending) { action.hidden = true; return; }
    const host = body.getBoundingClientRect();
    action.style.top = `${pending.rect.bottom - host.top + 6}px`;
    // The button starts where the selection starts: its right edge in right-to-left text.
    const rtl = getComputedStyle(body).direction === "rtl";
    const start = rtl ? pending.rect.right - host.left - 160 : pending.rect.left - host.left;
    action.style.left = `${Math.max(0, Math.min(start, host.width - 160))}px`;
    action.hidden = false;
  }

  if (config.highlights) {
    body.classList.add("inline-enabled");
    body.append(action);
    let timer = null;
    document.addEventListener("selectionchange", () => {
      clearTimeout(timer);
      timer = setTimeout(updateAction, 120);
    });
    action.addEventListener("mousedown", (event) => event.preventDefault());
    action.addEventListener("click", () => {
      const chosen = pending || selectionTarget();
      if (!chosen) return;
      action.hidden = true;
      showPanel(chosen.block, null, {
        heading: gettext("Comment on this passage"),
        quote: chosen.exact,
        items: [],
        target: chosen.target,
        placeholder: gettext("Your comment on this passage"),
      });
    });
    // Keyboard: with a selection, Alt+Shift+C (or Tab to the button) starts a comment.
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") action.hidden = true;
      if (event.altKey && event.shiftKey && (event.key === "C" || event.key === "c") && selectionTarget()) {
        event.preventDefault();
        updateAction();
        action.focus();
      }
    });
  }

  // Escape closes an open panel (a prompt's or a passage's) and returns the focus to its opener.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && openPanel) closePanel();
  });

  // Show-passage links in the discussion scroll to the marked passage when it is on the page.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-share-passage]");
    if (!link) return;
    const quote = link.closest("[data-inline-quote]");
    const text = quote && quote.querySelector("blockquote") ? quote.querySelector("blockquote").textContent : "";
    const range = text && findRange(body, text, "", "");
    if (!range) return;
    event.preventDefault();
    const node = range.startContainer.parentElement;
    node.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: "center" });
    const marks = wrapRange(range, "inline-flash");
    setTimeout(() => { for (const mark of marks) { const parent = mark.parentNode; while (mark.firstChild) parent.insertBefore(mark.firstChild, mark); mark.remove(); parent.normalize(); } }, 2500);
  });

  // --- start ------------------------------------------------------------------------------------

  async function start() {
    try {
      const data = await call("GET", `/threads/${config.threadId}/annotations`);
      annotations = (data.first && data.first.items) || [];
    } catch (error) {
      annotations = [];
    }
    render();
    if (config.open) {
      try { me = await sharedMe(config.threadId, () => call("GET", `/threads/${config.threadId}/me`)); } catch (error) { me = null; }
    }
  }
  start();
})();
