// YouTube facades: the player, and with it every request to YouTube, comes only when the reader asks for it.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".youtube__play");
  if (!button) return;
  const facade = button.closest(".youtube");
  const frame = document.createElement("iframe");
  frame.src = facade.dataset.youtubeEmbed;
  frame.title = facade.dataset.youtubeTitle;
  frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  frame.allowFullscreen = true;
  frame.className = "youtube__frame";
  facade.replaceChildren(frame);
  frame.focus();
});
