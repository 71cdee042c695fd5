// The example page as a single-page app: a route change re-renders the discussion for the new story.
(() => {
  const stories = {
    ferry: { title: "A week on the river ferry", path: "" },
    market: { title: "The Saturday market", path: "market/" },
  };
  for (const link of document.querySelectorAll("[data-story]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const story = stories[link.dataset.story];
      // Each story is a page of its own on the site: its own address, so its own discussion.
      const url = new URL(document.querySelector("link[rel=canonical]").href);
      url.pathname += story.path;
      history.pushState({}, "", "#" + link.dataset.story);
      document.querySelector("[data-story-title]").textContent = story.title;
      const element = document.querySelector("#comments [data-masthead-discussion]");
      if (window.Masthead) window.Masthead.render(element, { url: url.href, title: story.title });
    });
  }
})();
