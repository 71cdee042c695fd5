/* Masthead embed (issue #18): a newsroom's discussion, comment counts and support block on another site.
 * One file, no dependencies, no build. What it draws lives in shadow roots, so the host page's CSS stays
 * out. The reader is known by a bearer token kept in the host page's localStorage, never by cookies:
 * every call goes out without credentials. Reader text is set with textContent; only the server's
 * sanitised comment HTML is set as HTML. The contract with the server: docs/embed-widget-notes.md. */
(() => {
  "use strict";
  if (window.Masthead && window.Masthead.render) return; // the script was included twice

  const script = document.currentScript || document.querySelector("script[src*='embed.js']");
  const BASE = new URL(script ? script.src : location.href).origin;
  const API = BASE + "/api/v1";
  const KEY = "masthead:" + BASE;
  const mark = (name) => { try { performance.mark(name); } catch (error) { /* no User Timing */ } };
  mark("masthead:start");

  // English, for any key the server does not send (masthead/embed/strings.py is the full list).
  const EN = {
    comments_heading: "Comments", sort_label: "Sort comments", sort_newest: "Newest", sort_oldest: "Oldest",
    sort_votes: "Most voted", empty: "No comments yet. Start the conversation.",
    closed: "Comments are closed for this article.", load_more: "Load more comments",
    open_discussion: "Open the full discussion", error_generic: "Something went wrong; please try again.",
    staff: "Staff", supporter: "Supporter", pinned: "Pinned", edited: "edited", awaiting_moderation: "Awaiting moderation",
    deleted: "This comment was deleted.", replying_to: "Replying to {name}", reply: "Reply", upvote: "Upvote",
    downvote: "Downvote", like: "Like", edit: "Edit", edit_label: "Edit your comment", save: "Save", cancel: "Cancel",
    delete: "Delete", delete_confirm: "Delete this comment?", body_label: "Your comment",
    body_placeholder: "Join the discussion…", body_required: "Please write a comment.", name: "Name", email: "Email",
    email_hint: "Never shown", post: "Post comment", posting: "Posting…", posted: "Thank you! Your comment was posted.",
    posted_pending: "Thank you! Your comment is awaiting moderation.", sign_in: "Sign in", sign_out: "Sign out",
    commenting_as: "Commenting as {name}", signin_required: "Please sign in to comment.",
    supporters_only: "Comments here are open to supporters: readers who give monthly.",
    raised: "{raised} raised of {goal} goal", progress_label: "{title}: money raised", donate: "Donate",
    campaign_ended: "Campaign ended",
    new_one: "{n} new comment — show", new_many: "{n} new comments — show", new_announce_one: "{n} new comment",
    new_announce_many: "{n} new comments", count_one: "{n} comment", count_many: "{n} comments",
    donors_one: "{n} donor", donors_many: "{n} donors",
  };

  // The styles go in as one constructed sheet shared by every shadow root: a host page whose CSP keeps
  // out inline <style> elements (style-src without 'unsafe-inline') still gets them. A browser without
  // constructable sheets gets a <style> element instead.
  let sheet = null;
  const styled = (root) => {
    try {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
      root.adoptedStyleSheets = [sheet];
      return [];
    } catch (error) {
      return [h("style", {}, CSS)];
    }
  };

  // All the styles, in each shadow root. Colours and type come from custom properties the host may set
  // on the element or above it (--masthead-fg, -bg, -muted, -accent, -border, -radius, -font).
  const DARK = "color-scheme:dark;--fg:var(--masthead-fg,#ecebe8);--bg:var(--masthead-bg,#17181b);--field:var(--masthead-bg,#1f2125);--muted:var(--masthead-muted,#a6a9ae);--accent:var(--masthead-accent,#ff8a80);--border:var(--masthead-border,#3a3c41);--soft:rgba(255,255,255,.07);--on-accent:#17181b;--ok:#7dd3a0;--warn:#e8b861;padding:var(--masthead-padding,1.1em 1.25em);";
  const CSS = `
.w{all:initial;display:block;container-type:inline-size;color-scheme:light;
--fg:var(--masthead-fg,#1c1d20);--bg:var(--masthead-bg,transparent);--field:var(--masthead-bg,#fff);--muted:var(--masthead-muted,#5d6066);
--accent:var(--masthead-accent,#b3261e);--border:var(--masthead-border,#e3e0da);--radius:var(--masthead-radius,8px);--soft:rgba(0,0,0,.045);
--on-accent:#fff;--ok:#1f6f43;--warn:#8a5a00;padding:var(--masthead-padding,0);border-radius:var(--radius);
font:400 var(--masthead-font-size,medium)/1.55 var(--masthead-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","Noto Sans Arabic",sans-serif);
color:var(--fg);background:var(--bg);text-align:start;overflow-wrap:break-word;-webkit-text-size-adjust:100%}
.w.dark{${DARK}}
@media (prefers-color-scheme:dark){.w.auto{${DARK}}}
*,::before,::after{box-sizing:border-box}
[hidden]{display:none!important}
.vh{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
a{color:var(--accent);text-underline-offset:.15em}
button,input,select,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
input:focus-visible,select:focus-visible,textarea:focus-visible{outline:none}
h2{margin:0;font-size:1.2em;line-height:1.3;font-weight:700}
.head{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5em 1em;padding-block-end:.65em;margin-block-end:1.1em;border-block-end:1px solid var(--border)}
.count:focus{outline:none}
select,input,textarea{background:var(--field);border:1px solid var(--border);border-radius:var(--radius)}
select{padding:.3em .5em;font-size:.875em}
input,textarea{width:100%;padding:.55em .7em;line-height:1.45}
textarea{display:block;min-height:5.5em;resize:vertical}
select:focus,input:focus,textarea:focus{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent);box-shadow:0 0 0 3px color-mix(in srgb,var(--accent) 22%,transparent)}
::placeholder{color:var(--muted);opacity:1}
.form{display:grid;gap:.7em;margin-block-end:1.6em}
.ident{display:grid;grid-template-columns:repeat(auto-fit,minmax(13em,1fr));gap:.7em}
.field label{display:block;margin-block-end:.25em;font-size:.8125em;font-weight:600;color:var(--muted)}
.req{color:var(--accent);margin-inline-start:.15em}
.hint{display:block;margin-block-start:.2em;font-size:.75em;color:var(--muted)}
.ferr{display:block;margin:.3em 0 0;font-size:.875em;font-weight:600;color:var(--accent)}
[aria-invalid=true]{border-color:var(--accent)}
.foot{display:flex;flex-wrap:wrap;align-items:center;gap:.6em 1em}
.btns{display:flex;gap:.5em;margin-inline-start:auto}
.who{margin:0;font-size:.875em;color:var(--muted)}
.who strong{color:var(--fg)}
.who .link{font-size:inherit}
.signin{font-size:.875em;font-weight:600}
.primary,.ghost{display:inline-block;border-radius:999px;padding:.5em 1.25em;font-weight:600;font-size:.9375em;line-height:1.3;text-decoration:none;white-space:nowrap}
.primary{border:1px solid var(--accent);background:var(--accent);color:var(--on-accent)}
.primary:hover{filter:brightness(1.1)}
.primary:disabled{opacity:.6;cursor:progress}
.ghost{border:1px solid var(--border);background:none}
.ghost:hover{background:var(--soft)}
.ghost[aria-disabled=true]{opacity:.6}
.link{border:0;background:none;padding:.2em .15em;font-size:.8125em;font-weight:600;color:var(--muted);border-radius:4px}
.link:hover{color:var(--fg)}
.quiet{margin:.25em 0 1.25em;color:var(--muted);font-style:italic}
.notice{margin:0 0 1.5em;padding:.8em 1em;background:var(--soft);border-radius:var(--radius)}
.err{margin:0;padding:.8em 1em;border:1px solid var(--border);border-radius:var(--radius);color:var(--muted)}
.flash{margin:.4em 0 0;font-size:.875em;color:var(--accent)}
.new{display:block;margin:0 auto 1em;color:var(--accent);border-color:currentColor}
.list{list-style:none;margin:0;padding:0}
.c{padding-block-start:1.1em}
.list:not(.replies)>.c+.c{margin-block-start:1.1em;border-block-start:1px solid var(--border)}
.list:not(.replies)>.c:first-child{padding-block-start:0}
.replies{margin-inline-start:15px;padding-inline-start:1.1em;border-inline-start:2px solid var(--border)}
.replies>.c{padding-block-start:.9em}
.card{display:grid;grid-template-columns:32px minmax(0,1fr);gap:0 .75em;align-items:start;border-radius:var(--radius)}
.card.gone{display:block}
.card.gone .quiet{margin:0;font-size:.9375em}
.card:focus{outline:none}
.card:focus-visible{outline:2px solid var(--accent);outline-offset:4px}
.pinned>.card{background:var(--soft);padding:.7em .8em}
.av{display:grid;place-items:center;width:32px;height:32px;border-radius:50%;object-fit:cover;background:var(--soft);color:var(--muted);font-weight:700;font-size:.875em;line-height:1}
.meta{display:flex;flex-wrap:wrap;align-items:baseline;gap:.1em .55em;margin:0;line-height:1.4}
.name{font-weight:700}
.name a{color:inherit;text-decoration:none}
.name a:hover{text-decoration:underline}
time,.edited{font-size:.8125em;color:var(--muted)}
.edited{font-style:italic}
.badge{padding:.1em .45em;border-radius:4px;background:var(--soft);color:var(--muted);font-size:.6875em;font-weight:700;letter-spacing:.02em}
.badge.staff{background:var(--fg);color:var(--field)}
.badge.pin{color:var(--accent)}
.badge.wait{color:var(--warn)}
.pending .body{opacity:.75}
.to{margin:.1em 0 0;font-size:.8125em;color:var(--muted)}
.body{margin-block-start:.15em}
.body p{margin:.45em 0}
.body>:first-child{margin-block-start:0}
.body>:last-child{margin-block-end:0}
.body blockquote{margin:.5em 0;padding:.1em .9em;border-inline-start:3px solid var(--border);color:var(--muted)}
.body pre{padding:.6em .8em;border-radius:6px;background:var(--soft);overflow-x:auto;font-size:.875em}
.body code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:var(--soft);padding:.05em .3em;border-radius:3px}
.body pre code{padding:0;background:none}
.body ul,.body ol{padding-inline-start:1.4em}
.body img{max-width:100%;height:auto}
.acts{display:flex;flex-wrap:wrap;align-items:center;gap:.2em .6em;margin-block-start:.35em;margin-inline-start:-.5em}
.vote{display:inline-flex;align-items:center;gap:.3em;padding:.2em .55em;border:1px solid transparent;border-radius:999px;background:none;color:var(--muted);font-size:.8125em;font-weight:600;font-variant-numeric:tabular-nums}
.vote svg{width:14px;height:14px;fill:currentColor}
.vote:hover{background:var(--soft);color:var(--fg)}
.vote[aria-pressed=true]{color:var(--accent);border-color:currentColor}
.vote[aria-disabled=true]{opacity:.6}
.noreply [data-reply]{display:none}
.reply-form{margin-block:.8em .2em;margin-inline-start:calc(32px + .75em);padding:.8em;border:1px solid var(--border);border-radius:var(--radius)}
.reply-form .to{margin:0}
.editor{display:grid;gap:.5em;margin-block-start:.4em}
.editor .btns{margin-inline-start:0}
.more{margin-block-start:1.6em;text-align:center}
.full{margin:1.4em 0 0;font-size:.8125em;text-align:center}
.full a{color:var(--muted)}
[aria-busy=true] .list{opacity:.55;transition:opacity .2s}
@container (max-width:32em){.replies{margin-inline-start:6px;padding-inline-start:.75em}.reply-form{margin-inline-start:0}}
.sup{padding:1.1em 1.25em;border:1px solid var(--border);border-block-start:4px solid var(--accent)}
.sup h2{margin-block-end:.5em}
.raised{margin:0 0 .45em;font-size:.9375em;color:var(--muted)}
.raised strong{font-size:1.35em;color:var(--fg)}
.bar{height:.8em;border:1px solid var(--border);border-radius:999px;background:var(--soft);overflow:hidden}
.fill{display:block;height:100%;border-radius:999px;background:var(--accent)}
.reached .fill{background:var(--ok)}
.scale{display:flex;justify-content:space-between;margin:.3em 0 0;padding:0;list-style:none;font-size:.78em;color:var(--muted);font-variant-numeric:tabular-nums}
.stats{display:flex;flex-wrap:wrap;gap:.25em 1.1em;margin:.5em 0 0;font-size:.875em;color:var(--muted)}
.pct{font-weight:700;color:var(--fg)}
.act{margin:1em 0 0}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important;scroll-behavior:auto!important}}
`;

  // --- small helpers ----------------------------------------------------------------------------------

  const h = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    node.append(...children.flat(4).filter((child) => child !== null && child !== undefined && child !== false && child !== ""));
    return node;
  };
  const icon = (d) => {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    const path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("aria-hidden", "true");
    path.setAttribute("d", d);
    svg.append(path);
    return svg;
  };
  const UP = "M10 4l6.5 8.5h-13z";
  const DOWN = "M10 16L3.5 7.5h13z";
  const HEART = "M10 17.5S2.5 13 2.5 7.6A4.1 4.1 0 0 1 10 5.4a4.1 4.1 0 0 1 7.5 2.2C17.5 13 10 17.5 10 17.5z";

  const format = (template, values) => template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  // A sentence with nodes in it ("Commenting as <bdi>name</bdi>"), wherever the translation puts them.
  const fill = (template, values) => template.split(/(\{\w+\})/).map((part) => {
    const key = /^\{(\w+)\}$/.exec(part);
    return key && key[1] in values ? values[key[1]] : part;
  });
  // The texts of one answer in its language; t.n picks a plural form with the language's own rules.
  const words = (strings, lang) => {
    let rules = null;
    try { rules = new Intl.PluralRules(lang || undefined); } catch (error) { rules = null; }
    const t = (key, values = {}) => format(String((strings && strings[key]) || EN[key] || ""), values);
    t.n = (key, n) => {
      const simple = n === 1 ? "one" : "many";
      const category = rules ? rules.select(n) : simple;
      return format(String((strings && (strings[`${key}_${category}`] || strings[`${key}_${simple}`])) || EN[`${key}_${simple}`]), { n });
    };
    return t;
  };
  const safeHref = (url) => (/^https?:\/\//i.test(url || "") ? url : null);
  const cleanLang = (lang) => (/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test((lang || "").trim()) ? lang.trim() : "");
  const pageLang = (el) => cleanLang(el.dataset.lang) || cleanLang(document.documentElement.lang);
  const canonicalUrl = () => {
    const link = document.querySelector("link[rel=canonical][href]");
    return link ? link.href : location.origin + location.pathname;
  };
  const shortDate = (iso, lang) => {
    const date = new Date(iso);
    const seconds = (Date.now() - date.getTime()) / 1000;
    if (Number.isNaN(seconds)) return "";
    try {
      if (seconds >= 7 * 86400) {
        const year = date.getFullYear() === new Date().getFullYear() ? undefined : "numeric";
        return date.toLocaleDateString(lang || undefined, { day: "numeric", month: "short", year });
      }
      const relative = new Intl.RelativeTimeFormat(lang || undefined, { numeric: "auto" });
      for (const [unit, size] of [["day", 86400], ["hour", 3600], ["minute", 60]]) {
        if (seconds >= size) return relative.format(-Math.floor(seconds / size), unit);
      }
      return relative.format(0, "second");
    } catch (error) {
      return date.toLocaleDateString();
    }
  };
  const longDate = (iso, lang) => {
    try { return new Date(iso).toLocaleString(lang || undefined, { dateStyle: "long", timeStyle: "short" }); } catch (error) { return iso; }
  };
  const focusOn = (node) => {
    node.setAttribute("tabindex", "-1");
    node.focus({ preventScroll: true });
    node.scrollIntoView({ block: "nearest" });
  };

  // --- the API ------------------------------------------------------------------------------------------

  const failure = (status, data) => Object.assign(new Error(data.message || ""), { status, code: data.error || "network", fields: data.fields || {} });

  // Accept and Accept-Language are CORS-safelisted: reads go out without a preflight.
  const request = async (method, path, { body, lang, token } = {}) => {
    const headers = { Accept: "application/json" };
    if (lang) headers["Accept-Language"] = lang;
    if (token) headers.Authorization = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(API + path, { method, mode: "cors", credentials: "omit", headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw failure(0, { message: "" });
    }
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw failure(response.status, data || {});
    return data;
  };

  // The reader's session lives in the host page's localStorage under one key per Masthead server;
  // in memory when storage is blocked.
  let memory = null;
  const loadStore = () => {
    if (memory) return memory;
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (error) { return {}; }
  };
  const saveStore = (changes) => {
    const data = { ...loadStore(), ...changes };
    for (const key of Object.keys(data)) if (data[key] === null || data[key] === undefined) delete data[key];
    try { localStorage.setItem(KEY, JSON.stringify(data)); memory = null; } catch (error) { memory = data; }
    return data;
  };
  const storedToken = () => {
    const session = loadStore();
    if (!session.token || (session.expires_at && Date.parse(session.expires_at) <= Date.now())) return null;
    return session.token;
  };
  const keepSession = (data) => saveStore({ token: data.token, expires_at: data.expires_at, name: data.name || "", authenticated: !!data.authenticated });
  const forgetToken = () => saveStore({ token: null, expires_at: null, name: null, authenticated: null });

  // One guest session at a time, however many widgets ask; one single sign-on exchange per token and page.
  let guestRun = null;
  const guestSession = (lang) => {
    guestRun = guestRun || request("POST", "/embed/session", { body: {}, lang }).then(keepSession).finally(() => { guestRun = null; });
    return guestRun;
  };
  const ssoRuns = new Map();
  const exchangeSso = (jwt, lang, again) => {
    if (again || !ssoRuns.has(jwt)) ssoRuns.set(jwt, request("POST", "/embed/session", { body: { sso: jwt }, lang }).then(keepSession));
    return ssoRuns.get(jwt);
  };

  // --- a discussion ---------------------------------------------------------------------------------------

  const SORTS = ["newest", "oldest", "votes"];
  const discussions = new Map();
  let painted = false;

  class Discussion {
    constructor(el, options) {
      const data = el.dataset;
      this.el = el;
      // A url given to render() is another article (an app's route change): the element's
      // data-title and data-id belong to the old one.
      const own = options.url ? {} : data;
      this.url = options.url || data.url || canonicalUrl();
      this.title = options.title || own.title || document.title;
      this.id = String(options.id || own.id || "");
      this.lang = cleanLang(options.lang) || pageLang(el);
      this.theme = ["light", "dark", "auto"].includes(options.theme || data.theme) ? options.theme || data.theme : "light";
      this.sso = options.sso || data.sso || "";
      this.sort = SORTS.includes(options.sort || data.sort) ? options.sort || data.sort : "newest";
      this.me = null;
      this.waiting = []; // live comments announced, not yet shown: nothing moves under the reader
      this.t = words({}, this.lang);
      this.start();
    }

    async start() {
      this.el.dataset.mastheadState = "loading";
      this.ssoRun = this.sso ? exchangeSso(this.sso, this.lang).catch((error) => { this.ssoError = error; }) : null;
      let data;
      try {
        const query = new URLSearchParams({ url: this.url, title: this.title, id: this.id, sort: this.sort });
        data = await request("GET", "/embed/threads?" + query, { lang: this.lang });
      } catch (error) {
        this.fail(error);
        return;
      }
      if (this.gone) return;
      this.thread = data.thread;
      this.policy = data.policy || {};
      this.signInUrl = safeHref(data.sign_in_url);
      this.dateLang = data.lang || this.lang;
      this.t = words(data.strings, this.dateLang);
      if (!this.build(data)) return;
      this.showPage(data.comments || { items: [] }, false);
      if (!painted) {
        painted = true;
        mark("masthead:painted");
      }
      await this.ssoRun;
      await this.loadMe();
      if (this.gone) return;
      this.el.dataset.mastheadState = "ready";
      if (this.policy.live) this.follow();
    }

    fail(error) {
      if (this.gone) return;
      this.el.dataset.mastheadState = "error";
      console.warn("Masthead: " + (error.message || `no readable answer from ${BASE} (offline, or this site is not allowed to embed it)`));
      // Refused, or unreadable (a refused origin's answer carries no CORS header): nothing to show.
      if (error.code === "origin_not_allowed" || !error.status) {
        if (this.el.shadowRoot) this.el.shadowRoot.replaceChildren();
        return;
      }
      this.mount(h("p", { class: "err", role: "alert" }, error.message || this.t("error_generic")), null);
    }

    close() {
      this.gone = true;
      if (this.source) this.source.close();
      clearTimeout(this.deadlineTimer);
    }

    // The shadow root is attached only once there is something to show: until then the host's own
    // content of the element (a link, a "loading" line) stays visible.
    mount(content, data) {
      let root = this.el.shadowRoot;
      try { root = root || this.el.attachShadow({ mode: "open" }); } catch (error) {
        console.warn("Masthead: this element cannot hold the discussion; use a <div>.");
        return false;
      }
      this.box = h("section", { class: `w ${this.theme}`, lang: data ? data.lang : null, dir: data ? data.dir || "auto" : null }, content);
      root.replaceChildren(...styled(root), this.box);
      this.root = root;
      return true;
    }

    // --- first paint ---

    build(data) {
      const t = this.t;
      this.count = h("h2", { class: "count", id: "mh-count", tabindex: "-1" }, data.thread.comment_count === undefined ? t("comments_heading") : data.thread.count_label || t.n("count", data.thread.comment_count));
      this.countValue = data.thread.comment_count || 0;
      const sort = h("select", { id: "mh-sort", onchange: (event) => this.setSort(event.target.value) },
        ["newest", "oldest", "votes"].map((key) => h("option", { value: key, selected: key === this.sort }, t("sort_" + key))));
      this.composer = h("div", { class: "composer" });
      this.announcer = h("p", { class: "vh", "aria-live": "polite" });
      this.newButton = h("button", { type: "button", class: "ghost new", hidden: true, onclick: () => this.revealWaiting() });
      this.list = h("ol", { class: "list" });
      this.empty = h("p", { class: "quiet" }, t("empty"));
      this.note = h("p", { class: "flash", role: "alert", hidden: true });
      this.moreButton = h("button", { type: "button", class: "ghost", onclick: () => this.loadMore() }, t("load_more"));
      const page = safeHref(data.thread.page_url);
      const mounted = this.mount([
        h("div", { class: "head" }, this.count, h("label", { class: "sort" }, h("span", { class: "vh" }, t("sort_label")), sort)),
        this.composer, this.announcer, this.newButton, this.list, this.empty, this.note,
        h("div", { class: "more" }, this.moreButton),
        page && h("p", { class: "full" }, h("a", { href: page, target: "_blank", rel: "noopener" }, t("open_discussion"))),
      ], data);
      if (!mounted) return false;
      this.box.setAttribute("aria-labelledby", "mh-count");
      this.renderComposer(true);
      return true;
    }

    showPage(page, append) {
      if (!append) {
        this.closeReply(false);
        this.list.replaceChildren();
      }
      for (const item of page.items || []) if (!this.find(item.id)) this.list.append(this.comment(item));
      this.cursor = page.next_cursor || null;
      this.moreButton.parentNode.hidden = !this.cursor;
      this.applyMe();
    }

    setCount(count, label) {
      this.countValue = count;
      this.count.textContent = label || this.t.n("count", count);
    }

    find(id) {
      return this.root.getElementById("c" + id);
    }

    // --- one comment ---

    comment(item) {
      const li = h("li", { class: item.is_pinned ? "c pinned" : "c", id: "c" + item.id, "data-id": item.id, "data-depth": item.depth || 0, "data-score": item.score || 0 }, this.card(item));
      const replies = item.replies || [];
      if (replies.length) li.append(h("ol", { class: "list replies" }, replies.map((reply) => this.comment(reply))));
      return li;
    }

    card(item) {
      const t = this.t;
      if (item.status === "deleted") return h("div", { class: "card gone" }, h("p", { class: "quiet" }, t("deleted")));
      const author = item.author || {};
      const pending = item.status && item.status !== "approved";
      const website = safeHref(author.website);
      const name = h("bdi", {}, author.name || "");
      const body = h("div", { class: "body", dir: "auto" });
      body.innerHTML = item.html || ""; // sanitised by the server
      return h("article", { class: pending ? "card pending" : "card" },
        this.avatar(author),
        h("div", { class: "main" },
          h("p", { class: "meta" },
            h("span", { class: "name" }, website ? h("a", { href: website, rel: "nofollow ugc noopener noreferrer", target: "_blank" }, name) : name),
            author.is_staff && h("span", { class: "badge staff" }, t("staff")),
            author.is_supporter && h("span", { class: "badge" }, t("supporter")),
            item.is_pinned && h("span", { class: "badge pin" }, t("pinned")),
            h("time", { datetime: item.created_at, title: longDate(item.created_at, this.dateLang) }, shortDate(item.created_at, this.dateLang)),
            item.edited_at && h("span", { class: "edited" }, t("edited")),
            pending && h("span", { class: "badge wait" }, t("awaiting_moderation"))),
          item.replying_to && h("p", { class: "to" }, fill(t("replying_to"), { name: h("bdi", {}, item.replying_to.name) })),
          body,
          this.actions(item, pending)));
    }

    avatar(author) {
      const letter = h("span", { class: "av", "aria-hidden": "true" }, [...(author.name || "?").trim()][0] || "?");
      let src = null;
      try { src = author.avatar_url ? new URL(author.avatar_url, BASE).href : null; } catch (error) { src = null; }
      if (!src) return letter;
      const img = h("img", { class: "av", src, alt: "", width: "32", height: "32", loading: "lazy", onerror: () => img.replaceWith(letter) });
      return img;
    }

    actions(item, pending) {
      const t = this.t;
      const likes = this.policy.likes_only;
      const vote = (value, path, label, count) => h("button", { type: "button", class: "vote", "data-vote": value, "aria-pressed": "false", onclick: (event) => this.vote(item.id, value, event.currentTarget) },
        h("span", { class: "vh" }, label + " "), icon(path), h("span", { class: value > 0 ? "ups" : "downs" }, String(count || 0)));
      return h("div", { class: "acts" },
        vote(1, likes ? HEART : UP, t(likes ? "like" : "upvote"), item.upvotes),
        !likes && vote(-1, DOWN, t("downvote"), item.downvotes),
        !pending && h("button", { type: "button", class: "link", "data-reply": "", onclick: (event) => this.replyTo(item, event.currentTarget) }, t("reply")),
        h("button", { type: "button", class: "link", "data-edit": "", hidden: true, onclick: () => this.edit(item.id) }, t("edit")),
        h("button", { type: "button", class: "link", "data-delete": "", hidden: true, onclick: () => this.remove(item.id) }, t("delete")));
    }

    // New comments go where the sort puts them, replies under their parent (or, past the display depth,
    // after it in the same list). Returns null when the parent is not on this page.
    place(item, mine) {
      const node = this.comment(item);
      if (item.parent_id) {
        const parent = this.find(item.parent_id);
        if (!parent) return null;
        if (item.depth === undefined || item.depth > Number(parent.dataset.depth)) {
          let replies = parent.querySelector(":scope > ol");
          if (!replies) parent.append(replies = h("ol", { class: "list replies" }));
          replies.append(node);
        } else {
          parent.parentElement.append(node);
        }
      } else {
        const roots = [...this.list.children].filter((child) => !child.classList.contains("pinned"));
        let before = roots[0] || null;
        if (!mine && this.sort !== "newest") {
          before = this.sort === "votes" ? roots.find((child) => Number(child.dataset.score) <= (item.score || 0)) || null : null;
          if (!before && this.cursor) return null; // it belongs on a page not loaded yet
        }
        this.list.insertBefore(node, before);
      }
      this.refreshEmpty();
      return node;
    }

    refreshEmpty() {
      this.empty.hidden = this.list.children.length > 0;
    }

    // --- the reader ---

    authenticated() {
      return this.me ? !!this.me.authenticated : !!(storedToken() && loadStore().authenticated);
    }

    myself() {
      this.me = this.me || { authenticated: this.authenticated(), votes: {}, editable_ids: [], deletable_ids: [], edit_deadlines: {}, hidden: [] };
      return this.me;
    }

    async token() {
      await this.ssoRun;
      if (!storedToken() && this.sso && !this.ssoError) await exchangeSso(this.sso, this.lang, true).catch(() => null);
      if (!storedToken()) await guestSession(this.lang);
      return storedToken();
    }

    // A write (or /me) as the reader; a token the server no longer knows is replaced once.
    async asReader(method, path, body, retry = true) {
      try {
        return await request(method, path, { body, lang: this.lang, token: await this.token() });
      } catch (error) {
        if (error.code !== "token_invalid") throw error;
        forgetToken();
        if (!retry) throw error;
        return request(method, path, { body, lang: this.lang, token: await this.token() });
      }
    }

    async loadMe() {
      if (this.gone || !this.thread) return;
      await this.ssoRun;
      this.me = null;
      if (storedToken()) {
        try {
          // A forgotten token is replaced only when single sign-on can replace it; a guest gets a new one
          // when they next write.
          this.me = await this.asReader("GET", `/threads/${this.thread.id}/me`, undefined, !!this.sso);
        } catch (error) {
          if (error.code !== "token_invalid") console.warn("Masthead: " + (error.message || error.code));
        }
      }
      if (this.gone) return;
      this.renderComposer();
      this.applyMe();
    }

    applyMe() {
      const me = this.me || {};
      const votes = me.votes || {};
      const editable = new Set(me.editable_ids || []);
      const deletable = new Set(me.deletable_ids || []);
      const deadlines = me.edit_deadlines || {};
      let next = Infinity;
      for (const item of me.hidden || []) if (!this.find(item.id)) this.place(item, true);
      for (const li of this.list.querySelectorAll("li.c")) {
        const id = Number(li.dataset.id);
        const card = li.firstElementChild;
        const mine = votes[id] || 0;
        for (const button of card.querySelectorAll("[data-vote]")) button.setAttribute("aria-pressed", String(mine !== 0 && Number(button.dataset.vote) === mine));
        const deadline = deadlines[id] ? Date.parse(deadlines[id]) : Infinity;
        if (deadline > Date.now()) next = Math.min(next, deadline);
        const edit = card.querySelector("[data-edit]");
        const remove = card.querySelector("[data-delete]");
        if (edit) edit.hidden = !editable.has(id) || deadline <= Date.now();
        if (remove) remove.hidden = !deletable.has(id);
      }
      // Edit links go when the edit window closes.
      clearTimeout(this.deadlineTimer);
      if (next < Date.now() + 3600000) this.deadlineTimer = setTimeout(() => this.applyMe(), next - Date.now() + 500);
      this.refreshEmpty();
    }

    isOpen() {
      return this.thread.is_open !== false && !(this.me && this.me.is_open === false) && !this.liveClosed;
    }

    canComment() {
      if (this.me) return this.me.can_comment !== false;
      return (this.policy.who_may_comment || "everyone") === "everyone";
    }

    // The form, or why there is none; redrawn only when who the reader is changes.
    renderComposer(force) {
      const name = (this.me && this.me.name) || loadStore().name || "";
      const state = [this.isOpen(), this.canComment(), this.authenticated(), name, !!this.ssoError].join("|");
      if (state === this.composerState && !force) return;
      this.composerState = state;
      const t = this.t;
      const kept = this.form ? this.form.elements.body.value : "";
      this.form = null;
      this.box.classList.toggle("noreply", !this.isOpen() || !this.canComment());
      let content;
      if (!this.isOpen()) {
        content = h("p", { class: "quiet" }, t("closed"));
      } else if (!this.canComment()) {
        const refusal = (this.me && this.me.comment_refusal) || (this.policy.who_may_comment === "supporters" ? "supporters_only" : "");
        content = h("p", { class: "notice" }, t(refusal === "supporters_only" ? "supporters_only" : "signin_required"), " ", !this.authenticated() && this.signInLink());
      } else {
        content = this.form = this.makeForm(null);
        this.form.elements.body.value = kept;
      }
      this.composer.replaceChildren(content);
      if (this.ssoError) this.composer.append(h("p", { class: "flash", role: "alert" }, this.ssoError.message || t("error_generic")));
      this.closeReply(false); // it was made for the reader as they were
    }

    signInLink() {
      if (this.sso || !this.signInUrl) return null;
      return h("a", { href: this.signInUrl, target: "_blank", class: "signin", onclick: (event) => {
        if (window.open(this.signInUrl, "masthead-sign-in", "width=520,height=680")) event.preventDefault();
      } }, this.t("sign_in"));
    }

    whoLine() {
      const name = h("bdi", {}, h("strong", {}, (this.me && this.me.name) || loadStore().name || ""));
      return h("p", { class: "who" }, fill(this.t("commenting_as"), { name }),
        !this.sso && [" · ", h("button", { type: "button", class: "link", onclick: () => signOut() }, this.t("sign_out"))]);
    }

    guestFields(id) {
      const t = this.t;
      const stored = loadStore();
      const me = this.me || {};
      const field = (key, type, value, required, hint) => {
        const input = h("input", { id: `${id}-${key}`, name: key, type, autocomplete: key, required, dir: type === "text" ? "auto" : null, maxlength: key === "name" ? "50" : "254", "aria-describedby": hint ? `${id}-${key}-hint` : null });
        input.value = value || "";
        return h("div", { class: "field" },
          h("label", { for: input.id }, t(key), required && h("span", { class: "req", "aria-hidden": "true" }, "*")),
          input,
          hint && h("span", { class: "hint", id: `${id}-${key}-hint` }, hint));
      };
      return h("div", { class: "ident" },
        field("name", "text", me.name || stored.guest_name, true),
        field("email", "email", me.email || stored.guest_email, this.policy.email_required !== false, t("email_hint")));
    }

    makeForm(parent) {
      const t = this.t;
      const id = "mh-form-" + (parent ? parent.id : "top");
      const body = h("textarea", { id: id + "-body", name: "body", rows: parent ? "3" : "4", required: true, dir: "auto", maxlength: this.policy.max_length || null, placeholder: t("body_placeholder") });
      const submit = h("button", { type: "submit", class: "primary" }, t("post"));
      const form = h("form", { class: parent ? "form reply-form" : "form", novalidate: true },
        parent && h("p", { class: "to" }, fill(t("replying_to"), { name: h("bdi", {}, (parent.author && parent.author.name) || "") })),
        h("div", { class: "field" }, h("label", { class: "vh", for: body.id }, t("body_label")), body),
        !this.authenticated() && this.guestFields(id),
        h("p", { class: "ferr", role: "alert", hidden: true }),
        h("div", { class: "foot" },
          this.authenticated() ? this.whoLine() : this.signInLink(),
          h("span", { class: "btns" }, parent && h("button", { type: "button", class: "ghost", onclick: () => this.closeReply(true) }, t("cancel")), submit)));
      form.shownAt = Date.now();
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.post(form, parent, submit);
      });
      if (parent) form.addEventListener("keydown", (event) => { if (event.key === "Escape") this.closeReply(true); });
      return form;
    }

    // Each refused field says so next to itself; the rest goes in the form's own line.
    formError(form, message, fields) {
      for (const old of form.querySelectorAll(".field .ferr")) old.remove();
      for (const input of form.querySelectorAll("[aria-invalid]")) {
        input.removeAttribute("aria-invalid");
        input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "").replace(/\S+-err\b/, "").trim());
      }
      let rest = message;
      for (const [name, text] of Object.entries(fields || {})) {
        const input = form.elements[name];
        if (!input || !input.closest(".field")) continue;
        const note = h("span", { class: "ferr", id: input.id + "-err" }, text);
        input.closest(".field").append(note);
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + note.id).trim());
        if (rest === text) rest = "";
      }
      const line = form.querySelector(":scope > .ferr");
      line.textContent = rest || "";
      line.hidden = !rest;
      const invalid = form.querySelector("[aria-invalid=true]");
      if (invalid) invalid.focus();
    }

    async post(form, parent, submit) {
      const t = this.t;
      const elements = form.elements;
      if (!elements.body.value.trim()) {
        this.formError(form, "", { body: t("body_required") });
        return;
      }
      const guest = !!elements.email; // the form asked for a name and email
      const payload = {
        body: elements.body.value,
        parent_id: parent ? parent.id : null,
        name: guest ? elements.name.value.trim() : "",
        email: guest ? elements.email.value.trim() : "",
        notify: "none",
        seconds_to_submit: Math.round((Date.now() - form.shownAt) / 100) / 10,
      };
      if (guest) saveStore({ guest_name: payload.name, guest_email: payload.email });
      submit.disabled = true;
      submit.textContent = t("posting");
      try {
        const item = await this.asReader("POST", `/threads/${this.thread.id}/comments`, payload);
        if (this.gone) return;
        const me = this.myself();
        me.editable_ids = [...(me.editable_ids || []), item.id];
        me.deletable_ids = [...(me.deletable_ids || []), item.id];
        if (item.status !== "approved") me.hidden = [...(me.hidden || []), item];
        // An open stream brings the new total as a `count` event (maybe before this answer): only
        // without one is the total counted here.
        else if (!this.source || this.source.readyState !== 1) this.setCount(this.countValue + 1);
        this.waiting = this.waiting.filter((other) => other.id !== item.id);
        this.showWaiting();
        const old = this.find(item.id);
        if (old) old.remove();
        elements.body.value = "";
        this.formError(form, "", {});
        if (parent) this.closeReply(false);
        const node = this.place(item, true);
        this.applyMe();
        this.announce(t(item.status === "approved" ? "posted" : "posted_pending"));
        if (node) focusOn(node.firstElementChild);
      } catch (error) {
        this.formError(form, error.message || t("error_generic"), error.fields);
      } finally {
        submit.disabled = false;
        submit.textContent = t("post");
      }
    }

    replyTo(item, opener) {
      this.closeReply(false);
      const li = this.find(item.id);
      if (!li) return;
      const form = this.makeForm(item);
      this.replyForm = { form, opener };
      li.firstElementChild.after(form);
      form.elements.body.focus();
    }

    closeReply(restoreFocus) {
      if (!this.replyForm) return;
      const { form, opener } = this.replyForm;
      this.replyForm = null;
      form.remove();
      if (restoreFocus && opener.isConnected) opener.focus();
    }

    async vote(id, value, button) {
      if (button.getAttribute("aria-disabled") === "true") return;
      const votes = (this.me && this.me.votes) || {};
      button.setAttribute("aria-disabled", "true"); // not disabled: that would drop the keyboard focus
      try {
        const data = await this.asReader("PUT", `/comments/${id}/vote`, { value: votes[id] === value ? 0 : value });
        const me = this.myself();
        me.votes = { ...(me.votes || {}), [id]: data.my_vote };
        this.setVotes(data);
        this.applyMe();
      } catch (error) {
        this.flash(id, error.message || this.t("error_generic"));
      } finally {
        button.removeAttribute("aria-disabled");
      }
    }

    setVotes(data) {
      const li = this.find(data.id);
      if (!li) return;
      const ups = li.firstElementChild.querySelector(".ups");
      const downs = li.firstElementChild.querySelector(".downs");
      if (ups) ups.textContent = String(data.upvotes);
      if (downs) downs.textContent = String(data.downvotes);
      li.dataset.score = data.score;
    }

    flash(id, message) {
      const li = this.find(id);
      const main = li && li.querySelector(":scope > .card .main");
      if (!main) return;
      const note = h("p", { class: "flash", role: "status" }, message);
      main.append(note);
      setTimeout(() => note.remove(), 6000);
    }

    edit(id) {
      const t = this.t;
      const card = this.find(id).firstElementChild;
      const body = card.querySelector(".body");
      if (card.querySelector(".editor")) return;
      const text = h("textarea", { rows: "4", dir: "auto", "aria-label": t("edit_label"), maxlength: this.policy.max_length || null });
      text.value = body.innerText.trim(); // the server keeps no source the embed can read: its text
      const save = h("button", { type: "submit", class: "primary" }, t("save"));
      const done = (next) => {
        editor.remove();
        body.hidden = false;
        const button = (next || card).querySelector("[data-edit]");
        if (button && !button.hidden) button.focus();
      };
      const editor = h("form", { class: "editor" }, text,
        h("div", { class: "btns" }, h("button", { type: "button", class: "ghost", onclick: () => done() }, t("cancel")), save));
      editor.addEventListener("keydown", (event) => { if (event.key === "Escape") done(); });
      editor.addEventListener("submit", async (event) => {
        event.preventDefault();
        save.disabled = true;
        try {
          const item = await this.asReader("PATCH", `/comments/${id}`, { body: text.value });
          const next = this.card(item);
          card.replaceWith(next);
          this.applyMe();
          done(next);
        } catch (error) {
          this.flash(id, error.message || t("error_generic"));
          save.disabled = false;
        }
      });
      body.hidden = true;
      body.after(editor);
      text.focus();
    }

    async remove(id) {
      if (!window.confirm(this.t("delete_confirm"))) return;
      const li = this.find(id);
      try {
        const placeholder = await this.asReader("DELETE", `/comments/${id}`);
        const live = this.source && this.source.readyState === 1;  // the stream brings the total
        if (!live && !li.firstElementChild.classList.contains("pending")) this.setCount(Math.max(0, this.countValue - 1));
        if (placeholder) li.firstElementChild.replaceWith(this.card({ ...placeholder, status: "deleted" }));
        else li.remove();
        this.refreshEmpty();
        focusOn(this.count);
      } catch (error) {
        this.flash(id, error.message || this.t("error_generic"));
      }
    }

    // --- sorting and pages ---

    async setSort(sort) {
      this.sort = sort;
      this.box.setAttribute("aria-busy", "true");
      try {
        const page = await request("GET", `/threads/${this.thread.id}/comments?` + new URLSearchParams({ sort }), { lang: this.lang });
        if (this.gone || this.sort !== sort) return;
        this.showPage(page, false);
        this.waiting = this.waiting.filter((item) => !this.find(item.id));
        this.showWaiting();
        this.note.hidden = true;
      } catch (error) {
        this.showNote(error);
      } finally {
        this.box.removeAttribute("aria-busy");
      }
    }

    async loadMore() {
      const button = this.moreButton;
      if (!this.cursor || button.getAttribute("aria-disabled") === "true") return;
      button.setAttribute("aria-disabled", "true");
      try {
        const before = this.list.children.length;
        const page = await request("GET", `/threads/${this.thread.id}/comments?` + new URLSearchParams({ sort: this.sort, cursor: this.cursor }), { lang: this.lang });
        if (this.gone) return;
        this.showPage(page, true);
        const first = this.list.children[before];
        if (first) focusOn(first.firstElementChild); // the keyboard continues at the first comment added
        this.note.hidden = true;
      } catch (error) {
        this.showNote(error);
      } finally {
        button.removeAttribute("aria-disabled");
      }
    }

    showNote(error) {
      console.warn("Masthead: " + (error.message || error.code));
      this.note.textContent = error.message || this.t("error_generic");
      this.note.hidden = false;
    }

    announce(message) {
      this.announcer.textContent = "";
      setTimeout(() => { this.announcer.textContent = message; }, 50);
    }

    // --- live updates ---

    follow() {
      if (!window.EventSource) return;
      const source = new EventSource(`${API}/threads/${this.thread.id}/events`);
      let opened = false;
      this.source = source;
      source.addEventListener("open", () => { opened = true; });
      // A stream that ends after a while reconnects by itself; refused (204, 4xx, 5xx) or never opened: stop.
      source.addEventListener("error", () => {
        if (!opened || source.readyState === EventSource.CLOSED) source.close();
      });
      const on = (kind, handler) => source.addEventListener(kind, (event) => {
        let data;
        try { data = JSON.parse(event.data); } catch (error) { return; }
        if (!this.gone && data) handler.call(this, data);
      });
      on("comment", this.liveComment);
      on("votes", this.setVotes);
      on("edit", this.liveEdit);
      on("delete", this.liveDelete);
      on("count", (data) => this.setCount(data.count, data.label));
      on("closed", (data) => {
        this.liveClosed = !!data.closed;
        this.renderComposer();
      });
    }

    liveComment(item) {
      const known = (id) => this.find(id) || this.waiting.some((other) => other.id === id);
      if (known(item.id) || (item.parent_id && !known(item.parent_id))) return;
      this.waiting.push(item);
      this.showWaiting();
      this.announcer.textContent = this.t.n("new_announce", this.waiting.length);
    }

    showWaiting() {
      const count = this.waiting.length;
      this.newButton.hidden = count === 0;
      if (count) this.newButton.textContent = this.t.n("new", count);
    }

    revealWaiting() {
      const items = this.waiting.sort((a, b) => a.id - b.id);
      this.waiting = [];
      let first = null;
      for (const item of items) {
        if (this.find(item.id)) continue;
        const node = this.place(item, false);
        if (node && (!first || node.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)) first = node;
      }
      this.showWaiting();
      this.announcer.textContent = "";
      this.applyMe();
      if (first) focusOn(first.firstElementChild);
    }

    liveEdit(data) {
      const li = this.find(data.id);
      const card = li && li.firstElementChild;
      const waiting = this.waiting.find((item) => item.id === data.id);
      if (waiting) waiting.html = data.html;
      if (!card || card.querySelector(".editor") || !card.querySelector(".body")) return; // the reader is editing it
      card.querySelector(".body").innerHTML = data.html; // sanitised by the server
      if (!card.querySelector(".edited")) card.querySelector("time").after(h("span", { class: "edited" }, this.t("edited")));
    }

    liveDelete(data) {
      this.waiting = this.waiting.filter((item) => item.id !== data.id);
      this.showWaiting();
      const li = this.find(data.id);
      if (!li) return;
      if (data.placeholder === false) li.remove();
      else li.firstElementChild.replaceWith(this.card({ id: data.id, status: "deleted" }));
      this.refreshEmpty();
    }
  }

  const signOut = () => {
    forgetToken();
    for (const discussion of discussions.values()) discussion.loadMe();
  };

  // The news site's sign-in popup hands over a session (docs/embed-widget-notes.md).
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (event.origin !== BASE || !data || data.type !== "masthead:session" || !data.token) return;
    keepSession({ ...data, authenticated: data.authenticated !== false });
    for (const discussion of discussions.values()) discussion.loadMe();
  });

  // --- comment counts -------------------------------------------------------------------------------------

  const countUrl = (el) => {
    const raw = el.dataset.url || el.getAttribute("href");
    if (!raw) return "";
    try {
      const url = new URL(raw, location.href);
      url.hash = "";
      return url.href;
    } catch (error) {
      return "";
    }
  };

  const refreshCounts = async () => {
    const byLang = new Map(); // language → url → elements
    for (const el of document.querySelectorAll("[data-masthead-count]")) {
      const url = countUrl(el);
      if (!url) continue;
      const lang = pageLang(el);
      if (!byLang.has(lang)) byLang.set(lang, new Map());
      const urls = byLang.get(lang);
      urls.set(url, [...(urls.get(url) || []), el]);
    }
    const batches = [];
    for (const [lang, urls] of byLang) {
      const all = [...urls.keys()];
      for (let start = 0; start < all.length; start += 50) {
        const query = all.slice(start, start + 50).map((url) => "url=" + encodeURIComponent(url)).join("&");
        batches.push(request("GET", "/embed/counts?" + query, { lang }).then((data) => {
          for (const [url, count] of Object.entries((data && data.counts) || {})) {
            for (const el of urls.get(url) || []) if (count && count.label) el.textContent = count.label;
          }
        }, (error) => console.warn("Masthead: " + (error.message || error.code))));
      }
    }
    await Promise.all(batches);
  };

  // --- support block --------------------------------------------------------------------------------------

  const renderSupport = async (el) => {
    const slug = el.dataset.campaign;
    if (!slug) return;
    const lang = pageLang(el);
    let data;
    try {
      data = await request("GET", "/embed/campaigns/" + encodeURIComponent(slug), { lang });
    } catch (error) {
      console.warn("Masthead: " + (error.message || error.code));
      el.dataset.mastheadState = "error";
      return; // the host's own content of the element stays
    }
    const t = words(data.strings, data.lang || lang);
    const theme = ["dark", "auto"].includes(el.dataset.theme) ? el.dataset.theme : "light";
    const percent = Number(data.percent) || 0;
    let percentText = data.percent_text;
    try { percentText = percentText || new Intl.NumberFormat(data.lang || lang || undefined, { style: "percent", maximumFractionDigits: 0 }).format(percent / 100); } catch (error) { percentText = percent + "%"; }
    const raisedLine = t("raised", { goal: data.goal_text || "" });
    const fillBar = h("span", { class: "fill" });
    fillBar.style.width = Math.max(0, Math.min(100, Number(data.bar_percent) || 0)) + "%";
    const donate = !data.ended && safeHref(data.donate_url);
    const box = h("section", { class: `w ${theme} sup${percent >= 100 ? " reached" : ""}`, lang: data.lang || null, dir: data.dir || "auto", "aria-labelledby": "mh-campaign" },
      h("h2", { id: "mh-campaign" }, data.title || ""),
      h("p", { class: "raised" }, raisedLine.includes("{raised}")
        ? fill(raisedLine, { raised: h("strong", {}, data.raised_text || "") })
        : [h("strong", {}, data.raised_text || ""), " ", raisedLine]),
      h("div", { class: "bar", role: "progressbar", "aria-label": t("progress_label", { title: data.title || "" }), "aria-valuemin": "0", "aria-valuemax": "100",
        "aria-valuenow": String(Math.min(100, Math.round(percent))), "aria-valuetext": format(raisedLine, { raised: data.raised_text || "" }) }, fillBar),
      h("ol", { class: "scale", "aria-hidden": "true" }, h("li", {}, data.zero_text || "0"), h("li", {}, data.half_text || ""), h("li", {}, data.goal_text || "")),
      h("p", { class: "stats" }, h("span", { class: "pct" }, percentText),
        data.donor_count !== undefined && h("span", {}, t.n("donors", Number(data.donor_count))),
        data.ended && h("span", {}, t("campaign_ended"))),
      donate && h("p", { class: "act" }, h("a", { class: "primary", href: donate, target: "_blank", rel: "noopener" }, t("donate"))));
    let root = el.shadowRoot;
    try { root = root || el.attachShadow({ mode: "open" }); } catch (error) {
      console.warn("Masthead: this element cannot hold the support block; use a <div>.");
      return;
    }
    root.replaceChildren(...styled(root), box);
    el.dataset.mastheadState = "ready";
  };

  // --- the page's elements and the public API ---------------------------------------------------------

  const render = (el, options = {}) => {
    if (!el || !el.dataset) return;
    destroy(el);
    discussions.set(el, new Discussion(el, options || {}));
  };

  function destroy(el) {
    if (!el || !el.dataset) return;
    if (observer) observer.unobserve(el);
    const discussion = discussions.get(el);
    if (discussion) discussion.close();
    discussions.delete(el);
    if (el.shadowRoot) el.shadowRoot.replaceChildren();
    delete el.dataset.mastheadState;
  }

  // Discussions are drawn when they come near the viewport.
  const observer = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting && !discussions.has(entry.target)) render(entry.target);
    }
  }, { rootMargin: "400px" }) : null;

  const scan = () => {
    for (const el of document.querySelectorAll("[data-masthead-discussion]")) {
      if (discussions.has(el)) continue;
      if (observer) observer.observe(el);
      else render(el);
    }
    for (const el of document.querySelectorAll("[data-masthead-support][data-campaign]")) {
      if (!el.dataset.mastheadState) {
        el.dataset.mastheadState = "loading";
        renderSupport(el);
      }
    }
    refreshCounts();
  };

  const queued = window.Masthead && Array.isArray(window.Masthead.q) ? window.Masthead.q : [];
  const api = { render, destroy, refreshCounts };
  window.Masthead = api;
  // Calls made before the script arrived: window.Masthead.q = [["render", element, {url}], ...].
  for (const call of queued) {
    const [name, ...args] = Array.from(call);
    if (typeof api[name] === "function") api[name](...args);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
