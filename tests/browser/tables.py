"""What a person reading a data table on a phone needs, measured in the page as laid out (shared by
test_phone.py and test_accessibility.py):

- every table of the page's content sits in a box that scrolls sideways (computed `overflow-x` auto or
  scroll), and that box can be reached with Tab (`tabindex="0"`, so that the arrow keys scroll it) and
  has a name (a region named by the table's caption or a heading), so a screen reader says what it is;
- no word of a cell is broken across two lines or spills out of its cell: each column is at least as
  wide as its longest word (a line may still break after a hyphen or a slash, as in a dossier code);
- nothing in a card reaches past the card's right edge, except inside such a scrolling box.

`TABLE_PROBLEMS` returns one sentence per problem; an empty list is a pass."""

TABLE_PROBLEMS = """() => {
  const problems = [];
  const scroller = (el, stop) => {
    for (let p = el.parentElement; p && p !== stop && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll") return p;
    }
    return null;
  };
  const nameOf = (el) => {
    const label = (el.getAttribute("aria-label") || "").trim();
    if (label) return label;
    return (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
      .map((id) => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
  };
  const hidden = (el) => !!el.closest(".sr-only, [hidden]");
  document.querySelectorAll("main table").forEach((table, i) => {
    const caption = table.caption ? table.caption.textContent.trim().slice(0, 50) : "";
    const what = "table " + (table.id ? "#" + table.id : i + 1) + (caption ? " «" + caption + "»" : "");
    const box = scroller(table, null);
    if (!box) {
      problems.push(what + ": not in a box that scrolls sideways");
    } else {
      if (box.getAttribute("tabindex") !== "0")
        problems.push(what + ": its scrolling box is not reached with Tab");
      if (!nameOf(box)) problems.push(what + ": its scrolling box has no name");
    }
    for (const cell of table.querySelectorAll("th, td")) {
      if (hidden(cell)) continue;
      const edge = cell.getBoundingClientRect();
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      let broken = null;
      for (let node = walker.nextNode(); node && !broken; node = walker.nextNode()) {
        if (hidden(node.parentElement)) continue;
        const words = /[^\\s\\-\\/]+[\\-\\/]*/g;
        for (let m = words.exec(node.data); m && !broken; m = words.exec(node.data)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].replace(/[\\-\\/]+$/, "").length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0);
          const lines = new Set(rects.map((r) => Math.round(r.bottom)));
          if (lines.size > 1) broken = "«" + m[0] + "» is broken across lines";
          else if (rects.some((r) => r.right > edge.right + 1 || r.left < edge.left - 1))
            broken = "«" + m[0] + "» spills out of its cell";
        }
      }
      if (broken) problems.push(what + ": " + broken);
    }
  });
  document.querySelectorAll("main .card").forEach((card, i) => {
    const right = card.getBoundingClientRect().right;
    for (const el of card.querySelectorAll("*")) {
      if (hidden(el)) continue;
      const box = scroller(el, card);
      if (box && card.contains(box)) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > right + 1) {
        const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
          + (el.className ? "." + el.className : "");
        problems.push("card " + (i + 1) + ": " + name + " reaches "
          + Math.round(r.right - right) + "px past its edge");
        break;
      }
    }
  });
  return problems;
}"""
