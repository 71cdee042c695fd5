/* Masthead discussion: enhances the server-rendered region (post, reply, vote, sort, load more, edit,
 * delete, preview, live updates). Plain modern JS, no build. Per-reader state comes from GET /threads/{id}/me, so the
 * page HTML stays the same for every reader and can be cached. Names and other reader text are set with
 * textContent; only comment HTML (sanitised by the server) is set as HTML. */
(() => {
  "use strict";
  const API = "/api/v1";
  // Words come from Django's JavaScript catalog (loaded before this script, in the page's language);
  // without it, the English source text is shown.
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((one, many, count) => (count === 1 ? one : many));
  const pgettext = window.pgettext || ((context, text) => text);
  const interpolate = window.interpolate || ((format, values) => format.replace(/%\((\w+)\)s/g, (_, name) => String(values[name])));
  const LANG = document.documentElement.lang || "en";
  const SORT_KEY = "masthead.discussion.sort";
  // Live updates (docs/live.md): one EventSource per page; polling while the stream is unavailable.
  const BACKOFF_MS = [5000, 10000, 30000, 60000, 120000, 300000];

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("data-") || key.startsWith("aria-") || ["href", "rel", "src", "alt", "type", "datetime", "title", "id", "width", "height", "loading", "hidden"].includes(key)) node.setAttribute(key, value === true ? "" : value);
      else node[key] = value;
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };
  // The quoted passage above an inline comment, as the server renders it (discussion/inline/quote.html).
  const FRAGMENT_WORDS = 4;
  const fragmentPart = (text) => encodeURIComponent(text).replace(/-/g, "%2D");
  const textFragment = (quote) => {
    const words = quote.split(/\s+/).filter(Boolean);
    if (!words.length) return "";
    if (words.length <= 2 * FRAGMENT_WORDS) return `#:~:text=${fragmentPart(words.join(" "))}`;
    const start = words.slice(0, FRAGMENT_WORDS).join(" ");
    const end = words.slice(-FRAGMENT_WORDS).join(" ");
    return `#:~:text=${fragmentPart(start)},${fragmentPart(end)}`;
  };
  const inlineQuote = (item) => {
    const raw = (item.target && item.target.selector) || [];
    const selectors = Array.isArray(raw) ? raw : [raw];
    const quote = selectors.find((selector) => selector && selector.type === "TextQuoteSelector");
    if (!quote || typeof quote.exact !== "string" || !quote.exact) return null;
    const orphaned = item.anchor_state === "orphaned";
    const note = el("figcaption", { class: "inline-quote__note" });
    if (orphaned) note.textContent = gettext("The passage was changed.");
    else note.append(el("a", { href: location.pathname + textFragment(quote.exact), "data-share-passage": "", text: gettext("Show passage") }));
    return el("figure", { class: `inline-quote${orphaned ? " inline-quote--orphaned" : ""}`, "data-inline-quote": "" },
      el("blockquote", { class: "inline-quote__text", dir: "auto", text: quote.exact }), note);
  };
  const svgIcon = (path) => {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("aria-hidden", "true");
    const p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.append(p);
    return svg;
  };
  const cookie = (name) => {
    const found = document.cookie.split("; ").find((part) => part.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  };
  const safeHref = (url) => (/^https?:\/\//i.test(url || "") ? url : null);

  // "3 minutes ago" in the page's language, with its plural rules and digits (Intl.RelativeTimeFormat).
  let relativeFormat = null;
  try { relativeFormat = new Intl.RelativeTimeFormat(LANG, { numeric: "always" }); } catch (error) { relativeFormat = null; }
  const relative = (iso) => {
    const then = new Date(iso);
    const seconds = Math.round((Date.now() - then.getTime()) / 1000);
    if (Number.isNaN(seconds)) return "";
    if (seconds < 45 || !relativeFormat) return gettext("just now");
    const units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
    for (const [unit, size] of units) {
      const count = Math.floor(seconds / size);
      if (count >= 1) return relativeFormat.format(-count, unit);
    }
    return gettext("just now");
  };
  const refreshTimes = (root) => {
    for (const time of root.querySelectorAll(".comment__time time")) {
      const label = relative(time.getAttribute("datetime"));
      if (label) {
        time.title = time.title || time.textContent;
        time.textContent = label;
      }
    }
  };

  // One GET /me per page and thread, shared by the page's scripts (the discussion, inline feedback,
  // moderators' tools): an answer to a browser without a CSRF cookie sets a new one, so several
  // answers would replace the token the others had just read. The same lines are in inline.js and
  // moderation/article-tools.js (no build step to share a module).
  function sharedMe(threadId, ask) {
    const asked = (window.mastheadMe = window.mastheadMe || {});
    if (!asked[threadId]) asked[threadId] = ask();
    return asked[threadId];
  }

  class Discussion {
    constructor(region) {
      this.region = region;
      this.threadId = region.dataset.threadId;
      this.sort = region.dataset.sort || "newest";
      this.pageSize = Number(region.dataset.pageSize || 20);
      this.window = Number(region.dataset.window || 5);
      this.likesOnly = region.dataset.likesOnly === "1";
      this.open = region.dataset.open === "1";
      this.cursor = region.dataset.nextCursor || null;
      this.kind = region.dataset.kind || "";  // "inline": the "Inline feedback" filter is on
      this.list = region.querySelector("[data-comment-list]");
      this.form = region.querySelector("[data-comment-form]");
      this.formHome = this.form ? this.form.parentNode : null;
      this.formNext = this.form ? this.form.nextSibling : null;
      this.more = region.querySelector("[data-more]");
      this.statusRegion = region.querySelector("[data-status]");
      this.me = { votes: {}, editable_ids: [], deletable_ids: [], hidden: [] };
      this.loadedAt = Date.now();
      this.live = region.dataset.live === "1";
      this.pollMs = Math.max(1, Number(region.dataset.livePoll || 30)) * 1000;
      this.waiting = [];  // new comments announced but not yet shown: nothing moves under the reader
      this.bind();
      refreshTimes(region);
      this.start();
      if (this.live) this.follow();
    }

    async start() {
      this.meReady = this.loadMe();
      await this.meReady;
      const stored = localStorage.getItem(SORT_KEY);
      const target = /^#comment-(\d+)$/.exec(location.hash);
      if (target && !document.getElementById(`comment-${target[1]}`)) {
        await this.goToComment(target[1]);
      } else if (stored && stored !== this.sort && ["newest", "oldest", "votes"].includes(stored) && !new URLSearchParams(location.search).has("dsort")) {
        await this.setSort(stored, false);
      } else {
        this.applyMe();
      }
    }

    // Screen readers hear what changed without losing their place (the region's role=status).
    announce(message) {
      if (!this.statusRegion) return;
      this.statusRegion.textContent = "";
      setTimeout(() => { this.statusRegion.textContent = message; }, 50);
    }

    async call(method, path, body, retried = false) {
      const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
      if (body !== undefined) {
        options.headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(body);
      }
      if (method !== "GET") {
        // The token comes with the reader's state (/me): a write made before it has arrived (a
        // quick hand, a slow network) waits for it instead of being refused.
        if (!cookie("csrftoken") && !this.me.csrf_token && this.meReady) await this.meReady;
        options.headers["X-CSRFToken"] = cookie("csrftoken") || this.me.csrf_token || "";
      }
      const response = await fetch(API + path, options);
      let data = null;
      if (response.status !== 204) {
        try { data = await response.json(); } catch (error) { data = null; }
      }
      if (!response.ok) {
        // A token that changed under the page is refused: a first visit's scripts each ask /me at
        // once and each answer sets a new cookie, or the reader signed in in another tab. The
        // refused write did nothing, so it goes once more with the token the browser holds now.
        if (method !== "GET" && !retried && data && data.error === "csrf_failed") return this.call(method, path, body, true);
        const error = new Error((data && data.message) || gettext("Something went wrong; please try again."));
        error.code = data && data.error;
        error.fields = (data && data.fields) || {};
        error.status = response.status;
        throw error;
      }
      return data;
    }

    async loadMe() {
      try {
        // A copy: this script records its own votes and comments in it.
        this.me = { ...(await sharedMe(this.threadId, () => this.call("GET", `/threads/${this.threadId}/me`))) };
      } catch (error) {
        return;
      }
      if (!this.form) return;
      const guestFields = this.form.querySelector("[data-guest-fields]");
      const signedIn = this.form.querySelector("[data-signed-in]");
      if (this.me.authenticated && this.me.can_comment === false) {
        // Signed in, but the discussion is for supporters: say so instead of the form.
        const links = this.form.querySelector("[data-account-links]");
        const prompt = this.form.querySelector("[data-supporters-prompt]");
        if (links) links.hidden = true;
        if (prompt) prompt.hidden = false;
      } else if (this.me.authenticated) {
        this.form.classList.add("is-member");
        const links = this.form.querySelector("[data-account-links]");
        if (links) links.hidden = true;
        guestFields.hidden = true;
        for (const input of guestFields.querySelectorAll("input")) input.required = false;
        signedIn.hidden = false;
        signedIn.textContent = interpolate(gettext("Commenting as %(name)s"), { name: this.me.name }, true) + " · ";
        signedIn.append(el("a", { href: "/account/", text: gettext("Your account") }));
      } else {
        for (const name of ["name", "email", "website"]) {
          const input = this.form.elements[name];
          if (input && !input.value && this.me[name]) input.value = this.me[name];
        }
      }
      if (!this.me.is_open) this.form.hidden = true;
    }

    applyMe() {
      const votes = this.me.votes || {};
      for (const card of this.region.querySelectorAll("[data-comment-id]")) {
        const id = card.dataset.commentId;
        const mine = votes[id] || 0;
        for (const button of card.querySelectorAll(":scope > .comment__card [data-vote]")) {
          button.setAttribute("aria-pressed", String(Number(button.dataset.vote) === mine && mine !== 0));
        }
        const edit = card.querySelector(":scope > .comment__card [data-edit]");
        const del = card.querySelector(":scope > .comment__card [data-delete]");
        if (edit) edit.hidden = !(this.me.editable_ids || []).includes(Number(id));
        if (del) del.hidden = !(this.me.deletable_ids || []).includes(Number(id));
      }
      for (const item of this.me.hidden || []) {
        if (!document.getElementById(`comment-${item.id}`)) this.insert(item, { mine: true });
      }
    }

    bind() {
      this.region.addEventListener("click", (event) => this.onClick(event));
      if (this.form) {
        this.form.addEventListener("submit", (event) => this.onSubmit(event));
        const previewButton = this.form.querySelector("[data-preview-button]");
        previewButton.hidden = false;
        previewButton.addEventListener("click", () => this.preview());
        this.form.querySelector("[data-cancel-reply]").addEventListener("click", () => {
          const opener = this.replyOpener;
          this.cancelReply();
          if (opener && document.contains(opener)) opener.focus();
        });
        // Escape in the reply form closes it and returns to the comment's Reply link.
        this.form.addEventListener("keydown", (event) => {
          if (event.key !== "Escape" || !this.form.elements.parent_id.value) return;
          const opener = this.replyOpener;
          this.cancelReply();
          if (opener && document.contains(opener)) opener.focus();
        });
        this.form.elements.body.addEventListener("input", () => {
          const box = this.form.querySelector("[data-preview]");
          box.hidden = true;
        });
      }
      const loadMore = this.region.querySelector("[data-load-more]");
      if (loadMore) loadMore.addEventListener("click", (event) => { event.preventDefault(); this.loadMore(); });
      const viewAll = this.region.querySelector("[data-view-all]");
      if (viewAll) {
        viewAll.addEventListener("click", async (event) => {
          event.preventDefault();
          await this.reload({ all: true });
          // The link is gone with the last page: the keyboard continues at the first comment.
          const count = this.list.children.length;
          this.announce(interpolate(ngettext("%(count)s Comment", "%(count)s Comments", count), { count }, true));
          if (this.list.firstElementChild) this.focusComment(this.list.firstElementChild);
        });
      }
      for (const option of this.region.querySelectorAll("[data-sort-option]")) {
        option.addEventListener("click", (event) => { event.preventDefault(); this.setSort(option.dataset.sortOption, true); });
      }
      window.addEventListener("hashchange", () => {
        const target = /^#comment-(\d+)$/.exec(location.hash);
        if (target && !document.getElementById(`comment-${target[1]}`)) this.goToComment(target[1]);
      });
    }

    onClick(event) {
      const button = event.target.closest("button, a");
      if (!button || !this.region.contains(button)) return;
      const card = button.closest("[data-comment-id]");
      if (button.matches("[data-vote]") && card) {
        event.preventDefault();
        this.vote(card, Number(button.dataset.vote), button);
      } else if (button.matches("[data-reply]") && card) {
        event.preventDefault();
        this.replyTo(card);
      } else if (button.matches("[data-edit]") && card) {
        this.startEdit(card);
      } else if (button.matches("[data-delete]") && card) {
        this.remove(card);
      }
    }

    // --- rendering items from the API ---------------------------------------------------------------

    renderItem(item, level, opts = {}) {
      const deleted = item.status === "deleted";
      const classes = ["comment"];
      if (level) classes.push("comment--reply");
      if (item.is_pinned) classes.push("comment--pinned");
      if (deleted) classes.push("comment--deleted");
      if (opts.pending) classes.push("comment--pending");
      const li = el("li", { class: classes.join(" "), id: `comment-${item.id}`, "data-comment-id": String(item.id), "data-level": String(level) });
      const card = el("article", { class: "comment__card" });
      li.append(card);
      if (deleted) {
        card.append(el("p", { class: "comment__placeholder", text: gettext("[deleted]") }));
      } else {
        const link = safeHref(item.author.website);
        const author = el("h3", { class: "comment__author" }, link ? el("a", { href: link, rel: "nofollow ugc noopener noreferrer" }, el("bdi", { text: item.author.name })) : el("bdi", { text: item.author.name }));
        const who = el("div", { class: "comment__who" }, author);
        if (item.author.is_staff) who.append(el("span", { class: "comment__badge", text: gettext("Staff") }));
        if (item.author.is_supporter) who.append(el("span", { class: "comment__badge comment__badge--supporter", text: gettext("Supporter"), title: gettext("Supports this site with a monthly donation") }));
        if (item.is_pinned) who.append(el("span", { class: "comment__badge comment__badge--pinned", text: gettext("Pinned") }));
        const created = new Date(item.created_at);
        who.append(el("a", { class: "comment__time", href: `#comment-${item.id}` }, el("time", { datetime: item.created_at, title: created.toLocaleString(LANG), text: relative(item.created_at) })));
        if (item.edited_at) who.append(el("span", { class: "comment__edited", title: item.edited_at, text: gettext("edited") }));
        if (opts.pending) who.append(el("span", { class: "comment__badge comment__badge--pending", text: gettext("Awaiting moderation") }));
        const avatar = el("img", { class: "comment__avatar", src: item.author.avatar_url || "", alt: "", width: "40", height: "40", loading: "lazy" });
        card.append(el("header", { class: "comment__meta" }, avatar, who));
        if (item.replying_to) {
          card.append(el("p", { class: "comment__replying-to" }, document.createTextNode(pgettext("before the name of a comment's author", "replying to") + " "), el("a", { href: `#comment-${item.replying_to.id}` }, el("bdi", { text: item.replying_to.name }))));
        }
        const quote = inlineQuote(item);
        if (quote) card.append(quote);
        const body = el("div", { class: "comment__body", "data-body": "", dir: "auto" }); // a reader's own direction
        body.innerHTML = item.html; // sanitised by the server (nh3 allow-list)
        card.append(body);
        const votes = el("span", { class: "comment__votes", "data-votes": "" });
        // The name is the word and the count ("Upvote 3"): the word hidden on screen, the count shown.
        const up = el("button", { type: "button", class: "vote vote--up", "data-vote": "1", "aria-pressed": "false" }, el("span", { class: "visually-hidden", text: gettext("Upvote") + " " }), svgIcon("M10 4l6 8H4z"), el("span", { "data-upvotes": "", text: String(item.upvotes) }));
        votes.append(up);
        if (!this.likesOnly) {
          votes.append(el("button", { type: "button", class: "vote vote--down", "data-vote": "-1", "aria-pressed": "false" }, el("span", { class: "visually-hidden", text: gettext("Downvote") + " " }), svgIcon("M10 16L4 8h12z"), el("span", { "data-downvotes": "", text: String(item.downvotes) })));
        }
        const actions = el("footer", { class: "comment__actions" }, votes);
        if (this.open) actions.append(el("a", { class: "comment__reply", href: `?reply=${item.id}#respond`, "data-reply": "", text: gettext("Reply") }));
        actions.append(el("button", { type: "button", class: "link-button", "data-edit": "", hidden: true, text: gettext("Edit") }));
        actions.append(el("button", { type: "button", class: "link-button", "data-delete": "", hidden: true, text: gettext("Delete") }));
        card.append(actions);
      }
      const replies = item.replies || [];
      if (replies.length) {
        const ol = el("ol", { class: "comment-list comment-list--replies", "data-replies": "" });
        const shown = replies.slice(0, this.window);
        const rest = replies.slice(this.window);
        for (const reply of shown) ol.append(this.renderItem(reply, level + 1));
        if (rest.length) {
          const inner = el("ol", { class: "comment-list comment-list--replies comment-list--window" });
          for (const reply of rest) inner.append(this.renderItem(reply, level + 1));
          const label = interpolate(ngettext("Show %(count)s more reply", "Show %(count)s more replies", rest.length), { count: rest.length }, true);
          ol.append(el("li", { class: "comment-more" }, el("details", { "data-more-replies": "" }, el("summary", { text: label }), inner)));
        }
        li.append(ol);
      }
      return li;
    }

    renderPage(data, append) {
      if (!append) this.list.replaceChildren();
      for (const item of data.items) this.list.append(this.renderItem(item, 0));
      this.cursor = data.next_cursor;
      this.more.hidden = !this.cursor;
      this.setCount(data.count);
      const empty = this.region.querySelector("[data-empty]");
      if (empty) empty.hidden = this.list.children.length > 0;
      if (this.showNew) {
        this.waiting = this.waiting.filter((item) => !document.getElementById(`comment-${item.id}`));
        this.announceWaiting();
      }
      this.applyMe();
    }

    setCount(count) {
      const counter = this.region.querySelector("[data-count]");
      // The catalog's sentence, with the number kept in its own element wherever the language puts it.
      const title = counter.parentNode;
      const [before, after = ""] = ngettext("%(count)s Comment", "%(count)s Comments", count).split("%(count)s");
      counter.textContent = String(count);
      title.replaceChildren(document.createTextNode(before), counter, document.createTextNode(after));
    }

    async fetchPage(params) {
      const query = new URLSearchParams({ sort: this.sort, ...params });
      if (this.kind) query.set("kind", this.kind);
      return this.call("GET", `/threads/${this.threadId}/comments?${query}`);
    }

    async reload({ all = false, around = null } = {}) {
      const params = {};
      if (all) params.limit = "all";
      if (around) params.around = around;
      this.region.setAttribute("aria-busy", "true");
      try {
        this.renderPage(await this.fetchPage(params), false);
      } finally {
        this.region.removeAttribute("aria-busy");
      }
    }

    async loadMore() {
      if (!this.cursor) return;
      const button = this.region.querySelector("[data-load-more]");
      button.setAttribute("aria-disabled", "true");
      try {
        const before = this.list.children.length;
        this.renderPage(await this.fetchPage({ cursor: this.cursor }), true);
        const added = this.list.children.length - before;
        this.announce(interpolate(ngettext("%(count)s more comment loaded", "%(count)s more comments loaded", added), { count: added }, true));
        // Keyboard readers continue at the first comment that was added.
        const first = this.list.children[before];
        if (first) this.focusComment(first);
      } finally {
        button.removeAttribute("aria-disabled");
      }
    }

    async setSort(sort, remember) {
      this.sort = sort;
      if (remember) localStorage.setItem(SORT_KEY, sort);
      for (const option of this.region.querySelectorAll("[data-sort-option]")) {
        if (option.dataset.sortOption === sort) option.setAttribute("aria-current", "true");
        else option.removeAttribute("aria-current");
      }
      await this.reload();
      const chosen = this.region.querySelector(`[data-sort-option="${sort}"]`);
      if (remember && chosen) this.announce(interpolate(gettext("Comments sorted: %(order)s"), { order: chosen.textContent.trim() }, true));
    }

    // `#comment-N` that is not on the page: a comment further down, or an old link from the site this
    // discussion was imported from (WordPress's comment id), which the API turns into ours.
    async goToComment(number) {
      await this.reload({ around: number });
      let found = document.getElementById(`comment-${number}`);
      if (!found) {
        const anchor = await this.call("GET", `/threads/${this.threadId}/comment-anchors/${number}`).catch(() => null);
        if (anchor && anchor.anchor) {
          found = document.getElementById(anchor.anchor);
          if (!found) {
            await this.reload({ around: anchor.comment_id });
            found = document.getElementById(anchor.anchor);
          }
          if (found) history.replaceState(null, "", `#${anchor.anchor}`);
        }
      }
      if (found) this.reveal(found);
    }

    reveal(node) {
      for (let parent = node.parentElement; parent && parent !== this.region; parent = parent.parentElement) {
        if (parent.tagName === "DETAILS") parent.open = true;
      }
      node.classList.add("comment--highlight");
      node.scrollIntoView({ block: "center" });
    }

    // Focus moves to a comment's card (reachable by script only: tabindex -1), so the next Tab
    // continues inside it and a screen reader reads it.
    focusComment(node) {
      const card = node.querySelector(":scope > .comment__card") || node;
      card.setAttribute("tabindex", "-1");
      card.focus({ preventScroll: true });
    }

    // --- writing ----------------------------------------------------------------------------------------

    insert(item, { mine = false } = {}) {
      const pending = item.status !== "approved";
      const node = this.renderItem(item, 0, { pending });
      const parent = item.parent_id ? document.getElementById(`comment-${item.parent_id}`) : null;
      if (parent) {
        let list = parent.querySelector(":scope > [data-replies]");
        const level = Number(parent.dataset.level || 0);
        const depth = Number(this.region.dataset.depth || 4);
        if (level + 1 >= depth) {
          // Below the display depth: flat in the parent's list, naming whom it answers.
          list = parent.parentElement;
          const name = parent.querySelector(".comment__author");
          const note = el("p", { class: "comment__replying-to" }, document.createTextNode(pgettext("before the name of a comment's author", "replying to") + " "), el("a", { href: `#comment-${item.parent_id}` }, el("bdi", { text: name ? name.textContent : pgettext("the comment being answered", "comment") })));
          node.querySelector(".comment__card .comment__body").before(note);
          node.dataset.level = String(level);
        } else {
          node.dataset.level = String(level + 1);
          node.classList.add("comment--reply");
          if (!list) {
            list = el("ol", { class: "comment-list comment-list--replies", "data-replies": "" });
            parent.append(list);
          }
        }
        list.append(node);
      } else if (this.sort === "oldest" && !mine) {
        this.list.append(node);
      } else {
        this.list.prepend(node);
      }
      const empty = this.region.querySelector("[data-empty]");
      if (empty) empty.hidden = true;
      return node;
    }

    showError(message, fields = {}) {
      const box = this.form.querySelector("[data-form-error]");
      box.textContent = message;
      box.hidden = !message;
      for (const input of this.form.querySelectorAll("[aria-invalid]")) {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
      // Each refused field says so itself, and points at the message that says why.
      for (const name of Object.keys(fields)) {
        const input = this.form.elements[name];
        if (!input || !input.setAttribute) continue;
        if (!box.id) box.id = `comment-form-error-${this.threadId}`;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", box.id);
      }
    }

    async onSubmit(event) {
      event.preventDefault();
      const form = this.form;
      const submit = form.querySelector("[data-submit]");
      const data = {
        body: form.elements.body.value,
        parent_id: form.elements.parent_id.value ? Number(form.elements.parent_id.value) : null,
        notify: form.elements.notify.value,
        honeypot: form.elements.homepage_url.value,
        seconds_to_submit: (Date.now() - this.loadedAt) / 1000,
      };
      if (!this.me.authenticated) {
        data.name = form.elements.name.value;
        data.email = form.elements.email.value;
        data.website = form.elements.website.value;
      }
      if (!data.body.trim()) {
        this.showError(gettext("Please write a comment."), { body: gettext("Required.") });
        form.elements.body.focus();
        return;
      }
      submit.disabled = true;
      this.showError("");
      try {
        const item = await this.call("POST", `/threads/${this.threadId}/comments`, data);
        if (this.waiting) {
          this.waiting = this.waiting.filter((other) => other.id !== item.id);
          if (this.showNew) this.announceWaiting();
        }
        const existing = document.getElementById(`comment-${item.id}`);
        if (existing) existing.remove();
        const node = this.insert(item, { mine: true });
        form.elements.body.value = "";
        form.querySelector("[data-preview]").hidden = true;
        if (item.status === "approved") {
          const counter = this.region.querySelector("[data-count]");
          this.setCount(Number(counter.textContent) + 1);
        }
        this.me.editable_ids = [...(this.me.editable_ids || []), item.id];
        this.me.deletable_ids = [...(this.me.deletable_ids || []), item.id];
        this.cancelReply();
        this.applyMe();
        this.reveal(node);
        this.focusComment(node);
        this.announce(item.status === "approved" ? gettext("Thank you! Your comment was posted.") : gettext("Thank you! Your comment is awaiting moderation."));
        history.replaceState(null, "", `#comment-${item.id}`);
      } catch (error) {
        this.showError(error.message, error.fields);
        const invalid = form.querySelector("[aria-invalid=true]");
        if (invalid) invalid.focus();
      } finally {
        submit.disabled = false;
      }
    }

    async preview() {
      const box = this.form.querySelector("[data-preview]");
      const body = this.form.elements.body.value;
      if (!body.trim()) return;
      try {
        const data = await this.call("POST", "/comments/preview", { body });
        box.innerHTML = data.html; // sanitised by the server
        box.hidden = false;
      } catch (error) {
        this.showError(error.message, error.fields);
      }
    }

    replyTo(card) {
      if (!this.form) return;
      this.replyOpener = card.querySelector(":scope > .comment__card [data-reply]");
      const id = card.dataset.commentId;
      this.form.elements.parent_id.value = id;
      const replying = this.form.querySelector("[data-replying]");
      const link = this.form.querySelector("[data-replying-link]");
      const name = card.querySelector(".comment__author");
      link.replaceChildren(el("bdi", { text: name ? name.textContent : pgettext("the comment being answered", "comment") }));
      link.href = `#comment-${id}`;
      replying.hidden = false;
      this.form.classList.add("comment-form--reply");
      card.querySelector(":scope > .comment__card").after(this.form);
      this.form.elements.body.focus();
    }

    cancelReply() {
      if (!this.form) return;
      this.form.elements.parent_id.value = "";
      this.form.querySelector("[data-replying]").hidden = true;
      this.form.classList.remove("comment-form--reply");
      if (this.form.parentNode !== this.formHome) this.formHome.insertBefore(this.form, this.formNext);
    }

    async vote(card, value, button) {
      const id = card.dataset.commentId;
      const current = (this.me.votes || {})[id] || 0;
      const next = current === value ? 0 : value;
      // aria-disabled, not disabled: a disabled button drops the keyboard focus.
      if (button.getAttribute("aria-disabled") === "true") return;
      button.setAttribute("aria-disabled", "true");
      try {
        const data = await this.call("PUT", `/comments/${id}/vote`, { value: next });
        this.me.votes = { ...(this.me.votes || {}), [id]: data.my_vote };
        const own = card.querySelector(":scope > .comment__card");
        own.querySelector("[data-upvotes]").textContent = String(data.upvotes);
        const downs = own.querySelector("[data-downvotes]");
        if (downs) downs.textContent = String(data.downvotes);
        for (const other of own.querySelectorAll("[data-vote]")) {
          other.setAttribute("aria-pressed", String(Number(other.dataset.vote) === data.my_vote && data.my_vote !== 0));
        }
      } catch (error) {
        this.flash(card, error.message);
      } finally {
        button.removeAttribute("aria-disabled");
      }
    }

    flash(card, message) {
      const own = card.querySelector(":scope > .comment__card");
      let note = own.querySelector(".comment__flash");
      if (!note) {
        note = el("p", { class: "comment__flash", role: "status" });
        own.append(note);
      }
      note.textContent = message;
      setTimeout(() => note.remove(), 4000);
    }

    startEdit(card) {
      const own = card.querySelector(":scope > .comment__card");
      if (own.querySelector(".comment__editor")) return;
      const body = own.querySelector("[data-body]");
      const editor = el("form", { class: "comment__editor" });
      const textarea = el("textarea", { rows: 4, "aria-label": gettext("Edit your comment") });
      textarea.value = body.textContent.trim();
      const save = el("button", { type: "submit", text: gettext("Save") });
      const cancel = el("button", { type: "button", class: "secondary", text: gettext("Cancel") });
      editor.append(textarea, el("div", { class: "comment__editor-buttons" }, save, cancel));
      body.hidden = true;
      body.after(editor);
      textarea.focus();
      cancel.addEventListener("click", () => { editor.remove(); body.hidden = false; });
      editor.addEventListener("submit", async (event) => {
        event.preventDefault();
        save.disabled = true;
        try {
          const item = await this.call("PATCH", `/comments/${card.dataset.commentId}`, { body: textarea.value });
          body.innerHTML = item.html; // sanitised by the server
          if (!own.querySelector(".comment__edited")) own.querySelector(".comment__who").append(el("span", { class: "comment__edited", text: gettext("edited") }));
          editor.remove();
          body.hidden = false;
        } catch (error) {
          this.flash(card, error.message);
          save.disabled = false;
        }
      });
    }

    async remove(card) {
      if (!window.confirm(gettext("Delete this comment?"))) return;
      try {
        const result = await this.call("DELETE", `/comments/${card.dataset.commentId}`);
        const counter = this.region.querySelector("[data-count]");
        if (!card.classList.contains("comment--pending")) this.setCount(Math.max(0, Number(counter.textContent) - 1));
        if (result) {
          const own = card.querySelector(":scope > .comment__card");
          own.replaceChildren(el("p", { class: "comment__placeholder", text: gettext("[deleted]") }));
          card.classList.add("comment--deleted");
        } else {
          card.remove();
        }
      } catch (error) {
        this.flash(card, error.message);
      }
    }

    // --- live updates ---------------------------------------------------------------------------

    follow() {
      this.announcer = el("p", { class: "visually-hidden discussion__announcer", "aria-live": "polite", "data-live-announcer": "" });
      this.showNew = el("button", { type: "button", class: "discussion__new", "data-show-new": "", hidden: true });
      this.showNew.addEventListener("click", () => this.revealWaiting());
      this.list.before(this.showNew);
      this.region.append(this.announcer);
      this.failures = 0;
      this.connect();
    }

    connect() {
      if (this.source) this.source.close();
      let opened = false;
      const source = new EventSource(`${API}/threads/${this.threadId}/events`);
      this.source = source;
      source.addEventListener("open", () => {
        opened = true;
        this.failures = 0;
        this.stopPolling();
      });
      source.addEventListener("error", () => {
        // A network hiccup: EventSource reconnects by itself (with Last-Event-ID). Refused (429, 503)
        // or not followed live (204): it gives up; poll, and try the stream again later.
        if (source.readyState !== EventSource.CLOSED && opened) return;
        source.close();
        if (this.source !== source) return;
        this.startPolling();
        const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
        this.failures += 1;
        clearTimeout(this.reconnectTimer);
        this.reconnectTimer = setTimeout(() => this.connect(), delay * (0.75 + Math.random() / 2));
      });
      const on = (kind, handler) => source.addEventListener(kind, (event) => {
        let data = null;
        try { data = JSON.parse(event.data); } catch (error) { return; }
        handler.call(this, data);
      });
      on("comment", this.onLiveComment);
      on("count", (data) => this.setCount(data.count));
      on("votes", this.onLiveVotes);
      on("edit", this.onLiveEdit);
      on("delete", this.onLiveDelete);
      on("pin", this.onLivePin);
      on("closed", this.onLiveClosed);
      on("reset", () => this.checkForNew());
    }

    startPolling() {
      if (!this.pollTimer) this.pollTimer = setInterval(() => this.checkForNew(), this.pollMs);
    }

    stopPolling() {
      clearInterval(this.pollTimer);
      this.pollTimer = null;
    }

    // What the stream would have said, from the first page: new comments wait behind the button,
    // vote counts of the comments shown are brought up to date.
    async checkForNew() {
      let data;
      try { data = await this.fetchPage({}); } catch (error) { return; }
      const walk = (items) => {
        for (const item of items) {
          if (!document.getElementById(`comment-${item.id}`)) this.onLiveComment({ ...item, replies: [] });
          else this.onLiveVotes(item);
          walk(item.replies || []);
        }
      };
      walk(data.items || []);
      this.setCount(data.count);
    }

    onLiveComment(item) {
      if (document.getElementById(`comment-${item.id}`) || this.waiting.some((other) => other.id === item.id)) return;
      if (this.kind === "inline" && !item.target) return;
      this.waiting.push(item);
      this.announceWaiting();
    }

    announceWaiting() {
      const count = this.waiting.length;
      this.showNew.hidden = count === 0;
      if (!count) return;
      this.showNew.textContent = interpolate(ngettext("%(count)s new comment — show", "%(count)s new comments — show", count), { count }, true);
      this.announcer.textContent = interpolate(ngettext("%(count)s new comment", "%(count)s new comments", count), { count }, true);
    }

    // Waiting comments go where the chosen sort puts them; replies under their parent.
    revealWaiting() {
      const items = this.waiting.sort((a, b) => a.id - b.id);
      this.waiting = [];
      let first = null;
      for (const item of items) {
        if (document.getElementById(`comment-${item.id}`)) continue;
        if (item.parent_id && !document.getElementById(`comment-${item.parent_id}`)) continue;
        const node = item.parent_id ? this.insert(item) : this.placeTopLevel(item);
        first = first || node;
      }
      this.announceWaiting();
      this.announcer.textContent = "";
      this.applyMe();
      if (first) {
        refreshTimes(this.region);
        const focusable = first.querySelector(".comment__time");
        if (focusable) focusable.focus({ preventScroll: true });
      }
    }

    placeTopLevel(item) {
      const node = this.renderItem(item, 0);
      const roots = [...this.list.children].filter((child) => child.matches("[data-comment-id]") && !child.classList.contains("comment--pinned"));
      let before = null;
      if (this.sort === "newest") {
        before = roots[0] || null;
      } else if (this.sort === "votes") {
        const score = (child) => {
          const card = child.querySelector(":scope > .comment__card");
          const up = card && card.querySelector("[data-upvotes]");
          const down = card && card.querySelector("[data-downvotes]");
          return Number(up ? up.textContent : 0) - Number(down ? down.textContent : 0);
        };
        before = roots.find((child) => score(child) <= item.score) || null;
      }
      if (before) before.before(node);
      else this.list.append(node);
      const empty = this.region.querySelector("[data-empty]");
      if (empty) empty.hidden = true;
      return node;
    }

    ownCard(id) {
      const node = document.getElementById(`comment-${id}`);
      return node ? node.querySelector(":scope > .comment__card") : null;
    }

    onLiveVotes(data) {
      const card = this.ownCard(data.id);
      if (!card) return;
      const up = card.querySelector("[data-upvotes]");
      const down = card.querySelector("[data-downvotes]");
      if (up) up.textContent = String(data.upvotes);
      if (down) down.textContent = String(data.downvotes);
    }

    onLiveEdit(data) {
      const card = this.ownCard(data.id);
      if (!card || card.querySelector(".comment__editor")) return;  // the reader is editing it
      const body = card.querySelector("[data-body]");
      if (body) body.innerHTML = data.html; // sanitised by the server
      const who = card.querySelector(".comment__who");
      if (who && !card.querySelector(".comment__edited")) who.append(el("span", { class: "comment__edited", text: gettext("edited") }));
      const waiting = this.waiting.find((item) => item.id === data.id);
      if (waiting) waiting.html = data.html;
    }

    onLiveDelete(data) {
      this.waiting = this.waiting.filter((item) => item.id !== data.id);
      this.announceWaiting();
      const node = document.getElementById(`comment-${data.id}`);
      if (!node) return;
      if (data.placeholder) {
        node.querySelector(":scope > .comment__card").replaceChildren(el("p", { class: "comment__placeholder", text: gettext("[deleted]") }));
        node.classList.add("comment--deleted");
      } else {
        node.remove();
      }
    }

    onLivePin(data) {
      const node = document.getElementById(`comment-${data.id}`);
      if (!node) return;
      node.classList.toggle("comment--pinned", data.pinned);
      const who = node.querySelector(":scope > .comment__card .comment__who");
      const badge = who && who.querySelector(".comment__badge--pinned");
      if (data.pinned && who && !badge) who.querySelector(".comment__author").after(el("span", { class: "comment__badge comment__badge--pinned", text: gettext("Pinned") }));
      if (!data.pinned && badge) badge.remove();
    }

    onLiveClosed(data) {
      this.open = !data.closed;
      if (this.form) this.form.hidden = data.closed || !this.me.is_open;
      for (const link of this.region.querySelectorAll("[data-reply]")) link.hidden = data.closed;
    }
  }

  const start = () => {
    for (const region of document.querySelectorAll("[data-discussion]")) {
      if (!region.discussion) region.discussion = new Discussion(region);
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
