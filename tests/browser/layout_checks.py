"""What a table looks like to someone reading it on a phone or a wide screen: no word or
date broken across lines (a word may break after its hyphen, an e-mail address at its @
and dots, where the portal marks it with <wbr>), and no cell clipped."""

from playwright.sync_api import Page

# Each word of every visible table cell, measured where the browser laid it out: a word
# whose parts sit on different lines was broken inside it.
_BROKEN_WORDS = """
() => {
  const broken = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.getClientRects().length) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      // A word may break after a hyphen ("Johansson-|Öberg"), never inside a part of it,
      // and a date or a number never at all.
      const words = /\\S{2,}/g;
      let match;
      while ((match = words.exec(node.textContent))) {
        const word = match[0];
        const whole = /^[\\d:.\\-–\\/]+$/.test(word);
        const parts = whole ? [word] : word.match(/[^-]+-?|-/g);
        let at = match.index;
        for (const part of parts) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + part.replace(/-$/, "").length);
          at += part.length;
          const tops = new Set(
            [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))
          );
          if (tops.size > 1) { broken.push(word); break; }
        }
      }
    }
    if (cell.scrollWidth > cell.clientWidth + 1 && getComputedStyle(cell).overflow !== 'visible') {
      broken.push('(clipped) ' + cell.textContent.trim().slice(0, 40));
    }
  }
  return broken;
}
"""


def broken_words(page: Page) -> list[str]:
    """The words (and dates) in tables broken across lines, and the clipped cells."""
    return page.evaluate(_BROKEN_WORDS)
