"""Measurements of a page's layout as the browser draws it: sideways scroll, text size in charts, text off screen."""

from __future__ import annotations

#: Smallest text in a chart, in CSS pixels as drawn on the screen.
MIN_CHART_TEXT_PX = 12

LAYOUT_JS = """
(minText) => {
  const width = document.documentElement.clientWidth;
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return false;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) return false;  // visually hidden, for screen readers only
    return !el.closest('[hidden], details:not([open]) > :not(summary), .visually-hidden');
  };
  const name = (el) => {
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}"`;
  };
  const smallText = [];
  for (const text of document.querySelectorAll('svg text')) {
    if (!shown(text) || !(text.textContent || '').trim()) continue;
    const matrix = text.getScreenCTM();
    if (!matrix) continue;
    // The font size times the scale of the drawing (the square root of the determinant also covers rotated text).
    const scale = Math.sqrt(Math.abs(matrix.a * matrix.d - matrix.b * matrix.c));
    const px = parseFloat(getComputedStyle(text).fontSize) * scale;
    if (px < minText - 0.05) smallText.push(`${name(text)} at ${px.toFixed(1)}px`);
  }
  const offScreen = [];
  const readable = 'h1, h2, h3, h4, h5, h6, p, caption, figcaption, legend, li, dt, dd, summary, label, th, td';
  for (const el of document.querySelectorAll(readable)) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 || box.left < -0.5) {
      offScreen.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} of ${width}px`);
    }
  }
  return {
    sidewaysScroll: document.documentElement.scrollWidth - width,
    smallText: smallText,
    offScreen: offScreen,
  };
}
"""


def measure_layout(page) -> dict:
    """``sidewaysScroll`` (px the page scrolls sideways), ``smallText`` and ``offScreen`` (descriptions)."""
    return page.evaluate(LAYOUT_JS, MIN_CHART_TEXT_PX)


def layout_problems(page, where: str) -> list[str]:
    found = measure_layout(page)
    problems = []
    if found["sidewaysScroll"] > 0:
        problems.append(f"{where}: the page scrolls sideways by {found['sidewaysScroll']}px")
    problems += [f"{where}: chart text smaller than {MIN_CHART_TEXT_PX}px: {item}" for item in found["smallText"]]
    problems += [f"{where}: past the edge of the screen: {item}" for item in found["offScreen"]]
    return problems
